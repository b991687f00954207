package dev.agentapi.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a create request at the door and turns it into the task to store: defaults applied, every
 * field the database or a handler would refuse reported at once (400), nothing stored otherwise.
 */
@Component
class TaskAdmission {

    static final int MAX_TITLE = 500;
    static final int MAX_DESCRIPTION = 10_000;
    static final int MAX_PLATFORM = 100;
    static final int MAX_IDEMPOTENCY_KEY = 255;
    static final int MAX_ATTEMPTS_LIMIT = 10;

    private final TaskHandlers handlers;
    private final TaskProperties properties;
    private final JsonMapper json;

    TaskAdmission(TaskHandlers handlers, TaskProperties properties, JsonMapper json) {
        this.handlers = handlers;
        this.properties = properties;
        this.json = json;
    }

    NewTask admit(TaskRequests.Create request, String owner, String idempotencyKey) {
        Map<String, String> errors = new LinkedHashMap<>();
        String title = request.title();
        if (title == null || title.isBlank()) {
            errors.put("title", "is required");
        } else {
            text("title", title, MAX_TITLE, errors);
        }
        text("description", request.description(), MAX_DESCRIPTION, errors);
        String platform = request.platform() == null ? "unknown" : request.platform();
        if (platform.isBlank()) {
            errors.put("platform", "must not be blank");
        }
        text("platform", platform, MAX_PLATFORM, errors);
        String type = request.taskType() == null ? TaskHandlers.GENERIC : request.taskType();
        if (!handlers.acceptedTypes().contains(type)) {
            errors.put("task_type", "must be one of " + String.join(", ", handlers.acceptedTypes()));
        }
        TaskPriority priority = TaskPriority.MEDIUM;
        if (request.priority() != null) {
            priority = TaskPriority.of(request.priority()).orElse(null);
            if (priority == null) {
                errors.put("priority", "must be one of low, medium, high, urgent");
            }
        }
        int maxAttempts = request.maxAttempts() == null ? properties.maxAttempts() : request.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            errors.put("max_attempts", "must be between 1 and " + MAX_ATTEMPTS_LIMIT);
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || idempotencyKey.chars().anyMatch(Character::isISOControl))) {
            errors.put("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable characters");
        }
        String metadata = object("metadata", request.metadata(), properties.maxMetadata().toBytes(), errors);
        String payload = object("payload", request.payload(), properties.maxPayload().toBytes(), errors);
        if (payload != null && errors.isEmpty()) {
            handlers.forType(type).ifPresent(handler -> handler.validate(request.payload() == null
                    ? json.createObjectNode() : request.payload()).forEach((field, message) -> errors.put("payload." + field, message)));
        }
        if (!errors.isEmpty()) {
            throw TaskProblems.invalid(errors);
        }
        JsonNode agent = request.payload() == null ? null : request.payload().get("agent_id");
        String agentId = agent != null && agent.isString() && handlers.forType(type).isPresent() ? agent.asString() : null;
        NewTask task = new NewTask(title, request.description(), type, platform, priority, metadata, payload, agentId,
                maxAttempts, owner, idempotencyKey, null);
        return idempotencyKey == null ? task : new NewTask(task.title(), task.description(), task.taskType(), task.platform(),
                task.priority(), task.metadata(), task.payload(), task.agentId(), task.maxAttempts(), task.createdBy(),
                idempotencyKey, hash(task));
    }

    /** A JSON value a result or error may carry: size-bounded, without NUL (which PostgreSQL's jsonb refuses). */
    String document(String field, JsonNode value, long maxBytes) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return null;
        }
        if (containsNul(value)) {
            errors.put(field, "must not contain NUL characters");
        } else if (json.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            errors.put(field, "must be at most " + maxBytes / 1024 + " KiB of JSON");
        }
        if (!errors.isEmpty()) {
            throw TaskProblems.invalid(errors);
        }
        return json.writeValueAsString(value);
    }

    private String object(String field, JsonNode value, long maxBytes, Map<String, String> errors) {
        if (value == null || value.isNull()) {
            return "{}";
        }
        if (!value.isObject()) {
            errors.put(field, "must be a JSON object");
            return null;
        }
        if (containsNul(value)) {
            errors.put(field, "must not contain NUL characters");
            return null;
        }
        String text = json.writeValueAsString(value);
        if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            errors.put(field, "must be at most " + maxBytes / 1024 + " KiB of JSON");
            return null;
        }
        return text;
    }

    private static void text(String field, String value, int max, Map<String, String> errors) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            errors.put(field, "must be at most " + max + " characters");
        } else if (value.indexOf('\0') >= 0) {
            errors.put(field, "must not contain NUL characters");
        }
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isString()) {
            return node.asString().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getKey().indexOf('\0') >= 0 || containsNul(entry.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SHA-256 of the request as stored, with object keys sorted: the same request in another key order is the same. */
    private String hash(NewTask task) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("title", task.title());
        canonical.put("description", task.description());
        canonical.put("task_type", task.taskType());
        canonical.put("platform", task.platform());
        canonical.put("priority", task.priority().value());
        canonical.put("max_attempts", task.maxAttempts());
        canonical.put("metadata", sorted(json.readTree(task.metadata())));
        canonical.put("payload", sorted(json.readTree(task.payload())));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = json.createObjectNode();
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = json.createArrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}
