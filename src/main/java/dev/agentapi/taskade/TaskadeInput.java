package dev.agentapi.taskade;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the bodies of the create routes by hand, so that every refusal (malformed JSON, a missing or
 * mistyped title, NUL characters, a title too long for the mirror) is a 400 in the routes' own envelope
 * and is decided before anything reaches Taskade.
 */
final class TaskadeInput {

    static final int MAX_PROJECT_TITLE = 255;   // projects.name
    static final int MAX_TASK_TITLE = 500;      // tasks.title (Taskade itself takes 2000)
    static final int MAX_DESCRIPTION = 10_000;
    static final Set<String> PRIORITIES = Set.of("low", "medium", "high", "urgent");
    /** Taskade's ids: 16 alphanumerics, or 9 with '_' and '-'; a little room beyond. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The fields of the create bodies, as documented by {@link NewProject} and {@link NewTask}. */
    private static final Set<String> PROJECT_FIELDS = Set.of("title", "description", "workspace_id");
    private static final Set<String> TASK_FIELDS = Set.of("title", "description", "priority");

    /** A create-project body as read; also its documented schema. */
    @Schema(name = "TaskadeProjectRequest", requiredProperties = "title", example = "{\"title\": \"Launch\", \"description\": \"Everything for the launch\"}")
    record NewProject(@Schema(minLength = 1, maxLength = MAX_PROJECT_TITLE) String title,
                      @Schema(maxLength = MAX_DESCRIPTION) String description,
                      @Schema(description = "Default: the configured workspace", pattern = "[A-Za-z0-9_-]{1,64}") String workspaceId) {
    }

    /** A create-task body as read; also its documented schema. */
    @Schema(name = "TaskadeTaskRequest", requiredProperties = "title",
            example = "{\"title\": \"Write the announcement\", \"description\": \"Two paragraphs\", \"priority\": \"high\"}")
    record NewTask(@Schema(minLength = 1, maxLength = MAX_TASK_TITLE) String title,
                   @Schema(maxLength = MAX_DESCRIPTION) String description,
                   @Schema(allowableValues = {"low", "medium", "high", "urgent"}, defaultValue = "medium") String priority) {
    }

    private TaskadeInput() {
    }

    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    static NewProject project(JsonMapper json, String body, TaskadeProblems.Envelope envelope) {
        JsonNode root = object(json, body, PROJECT_FIELDS, envelope);
        String title = title(root, MAX_PROJECT_TITLE, envelope);
        String description = text(root, "description", MAX_DESCRIPTION, true, envelope);
        String workspaceId = text(root, "workspace_id", 64, false, envelope);
        if (workspaceId != null && !isId(workspaceId)) {
            throw TaskadeProblems.invalid(envelope, "workspace_id", "is not a Taskade id");
        }
        return new NewProject(title, description, workspaceId);
    }

    static NewTask task(JsonMapper json, String body, TaskadeProblems.Envelope envelope) {
        return task(object(json, body, TASK_FIELDS, envelope), envelope);
    }

    /** The same rules for a body already read, such as a queued task's payload. */
    static NewTask task(JsonNode root, TaskadeProblems.Envelope envelope) {
        if (root == null || !root.isObject()) {
            throw TaskadeProblems.malformed(envelope, "The request body must be a JSON object");
        }
        String title = title(root, MAX_TASK_TITLE, envelope);
        String description = text(root, "description", MAX_DESCRIPTION, true, envelope);
        String priority = text(root, "priority", 16, false, envelope);
        if (priority == null) {
            priority = "medium";
        } else {
            priority = priority.trim().toLowerCase(Locale.ROOT);
            if (!PRIORITIES.contains(priority)) {
                throw TaskadeProblems.invalid(envelope, "priority", "must be one of low, medium, high, urgent");
            }
        }
        return new NewTask(title, description, priority);
    }

    /** A request body: a JSON object naming only {@code fields} (an unknown one is refused, as every route's are). */
    private static JsonNode object(JsonMapper json, String body, Set<String> fields, TaskadeProblems.Envelope envelope) {
        if (body == null || body.isBlank()) {
            throw TaskadeProblems.invalid(envelope, "title", "is required");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw TaskadeProblems.malformed(envelope, "The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw TaskadeProblems.malformed(envelope, "The request body must be a JSON object");
        }
        for (String name : root.propertyNames()) {
            if (!fields.contains(name)) {
                throw TaskadeProblems.invalid(envelope, name, "is not a known field");
            }
        }
        return root;
    }

    private static String title(JsonNode root, int max, TaskadeProblems.Envelope envelope) {
        String title = text(root, "title", max, false, envelope);
        if (title == null || title.isBlank()) {
            throw TaskadeProblems.invalid(envelope, "title", "is required");
        }
        return title.strip();
    }

    /** An optional string field: absent or null gives null; another type, control characters or excess length, a 400. */
    private static String text(JsonNode root, String field, int max, boolean multiline, TaskadeProblems.Envelope envelope) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw TaskadeProblems.invalid(envelope, field, "must be a string");
        }
        String value = node.asString();
        if (value.length() > max) {
            throw TaskadeProblems.invalid(envelope, field, "must be at most " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowedBreak = multiline && (c == '\n' || c == '\r' || c == '\t');
            if (Character.isISOControl(c) && !allowedBreak) {
                throw TaskadeProblems.invalid(envelope, field, multiline ? "must not contain control characters"
                        : "must be one line without control characters");
            }
        }
        return value;
    }
}
