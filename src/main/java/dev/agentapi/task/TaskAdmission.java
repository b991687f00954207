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
 * Turns a create request that passed its constraints ({@link TaskRequests.Create}) into the task to store:
 * defaults applied, then what only the service can judge (the {@code Idempotency-Key}, the handler's rules for
 * its payload) checked, every failure reported at once (400), nothing stored otherwise.
 */
@Component
class TaskAdmission {

    static final int MAX_IDEMPOTENCY_KEY = 255;

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
        String platform = request.platform() == null ? "unknown" : request.platform();
        String type = request.taskType() == null ? TaskHandlers.GENERIC : request.taskType();
        TaskPriority priority = request.priority() == null ? TaskPriority.MEDIUM : TaskPriority.of(request.priority())
                .orElseThrow(() -> new IllegalArgumentException("priority is checked by its constraint"));
        int maxAttempts = request.maxAttempts() == null ? properties.maxAttempts() : request.maxAttempts();
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || idempotencyKey.chars().anyMatch(Character::isISOControl))) {
            errors.put("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable characters");
        }
        if (request.traced() && handlers.forType(type).filter(TaskHandler::traces).isEmpty()) {
            errors.put("trace", "only tasks of a type that can trace (" + String.join(", ", handlers.tracingTypes())
                    + ") may ask for a trace, not " + type);
        }
        if (errors.isEmpty()) {
            handlers.forType(type).ifPresent(handler -> handler.validate(request.payload() == null
                    ? json.createObjectNode() : request.payload()).forEach((field, message) -> errors.put("payload." + field, message)));
        }
        if (!errors.isEmpty()) {
            throw TaskProblems.invalid(errors);
        }
        String metadata = request.metadata() == null || request.metadata().isNull() ? "{}" : json.writeValueAsString(request.metadata());
        String payload = request.payload() == null || request.payload().isNull() ? "{}" : json.writeValueAsString(request.payload());
        JsonNode agent = request.payload() == null ? null : request.payload().get("agent_id");
        String agentId = agent != null && agent.isString() && handlers.forType(type).isPresent() ? agent.asString() : null;
        NewTask task = new NewTask(request.title(), request.description(), type, platform, priority, metadata, payload, agentId,
                maxAttempts, owner, idempotencyKey, null, request.traced());
        return idempotencyKey == null ? task : new NewTask(task.title(), task.description(), task.taskType(), task.platform(),
                task.priority(), task.metadata(), task.payload(), task.agentId(), task.maxAttempts(), task.createdBy(),
                idempotencyKey, hash(task), task.trace());
    }

    /** A JSON value a result or error may carry: size-bounded, without NUL (which PostgreSQL's jsonb refuses). */
    String document(String field, JsonNode value, long maxBytes) {
        if (value == null || value.isNull()) {
            return null;
        }
        String problem = JsonObjectWithin.Validator.problem(json, value, maxBytes);
        if (problem != null) {
            throw TaskProblems.invalid(Map.of(field, problem));
        }
        return json.writeValueAsString(value);
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
        if (task.trace()) { // only when asked: the hashes of requests without it stay what they were
            canonical.put("trace", true);
        }
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
