package dev.agentapi.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Request bodies of the task API, each with the constraints that refuse it at the door (400, {@code errors}
 * naming every field that breaks one). What only the service can judge (a handler's payload rules, an
 * {@code Idempotency-Key}, the owner's shares) it checks after.
 */
public final class TaskRequests {

    static final int MAX_TITLE = 500;
    static final int MAX_DESCRIPTION = 10_000;
    static final int MAX_PLATFORM = 100;
    static final int MAX_ATTEMPTS_LIMIT = 10;
    static final int MAX_LEASE_TOKEN = 255;
    /** No NUL, which PostgreSQL refuses in text. */
    static final String NO_NUL = "[^\\x00]*";
    static final String NUL_MESSAGE = "must not contain NUL characters";
    /** Printable: no control characters at all. */
    static final String PRINTABLE = "[^\\x00-\\x1F\\x7F-\\x9F]*";
    static final String NOT_BLANK_IF_PRESENT = "[\\s\\S]*\\S[\\s\\S]*"; // ECMA 262 reads it as Java does (JSON Schema, clients)

    private TaskRequests() {
    }

    @Schema(name = "QueueTaskRequest", requiredProperties = "title")
    public record Create(
            @NotBlank(message = "is required")
            @Size(min = 1, max = MAX_TITLE, message = "must be 1 to " + MAX_TITLE + " characters")
            @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String title,
            @Size(max = MAX_DESCRIPTION, message = "must be at most " + MAX_DESCRIPTION + " characters")
            @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String description,
            @Schema(description = "`generic` (done by external workers) or `browser.actions` (run here)", defaultValue = "generic")
            @AcceptedTaskType String taskType,
            @Schema(defaultValue = "unknown")
            @Size(max = MAX_PLATFORM, message = "must be at most " + MAX_PLATFORM + " characters")
            @Pattern.List({@Pattern(regexp = NOT_BLANK_IF_PRESENT, message = "must not be blank"),
                    @Pattern(regexp = NO_NUL, message = NUL_MESSAGE)}) String platform,
            @Schema(allowableValues = {"low", "medium", "high", "urgent"}, defaultValue = "medium")
            @Pattern(regexp = "low|medium|high|urgent", message = "must be one of low, medium, high, urgent") String priority,
            @Schema(types = "object", description = "Free-form JSON object")
            @JsonObjectWithin(JsonObjectWithin.Limit.METADATA) JsonNode metadata,
            @Schema(types = "object", description = "What the task works on (JSON object); for `browser.actions`: `agent_id` and `actions`")
            @JsonObjectWithin(JsonObjectWithin.Limit.PAYLOAD) JsonNode payload,
            @Schema(minimum = "1", maximum = "10", description = "Attempts before the task fails; default: the service's (3)")
            @Min(value = 1, message = "must be between 1 and " + MAX_ATTEMPTS_LIMIT)
            @Max(value = MAX_ATTEMPTS_LIMIT, message = "must be between 1 and " + MAX_ATTEMPTS_LIMIT) Integer maxAttempts,
            @Schema(defaultValue = "false", description = "Record a Playwright trace of the run, kept with the task's results "
                    + "(`GET .../{id}/trace`); only for task types that can trace (`browser.actions`), else 400")
            Boolean trace) {

        /** Whether the task asks for a trace of its run. */
        boolean traced() {
            return Boolean.TRUE.equals(trace);
        }
    }

    @Schema(name = "ClaimTaskRequest")
    record Claim(@Schema(defaultValue = "generic") String taskType,
                 @Size(max = MAX_PLATFORM, message = "must be at most " + MAX_PLATFORM + " printable characters")
                 @Pattern(regexp = PRINTABLE, message = "must be at most " + MAX_PLATFORM + " printable characters") String platform) {
    }

    @Schema(name = "CompleteTaskRequest", requiredProperties = "lease_token")
    record Complete(@LeaseToken String leaseToken, @Schema(description = "Any JSON value") JsonNode result) {
    }

    @Schema(name = "FailTaskRequest", requiredProperties = "lease_token")
    record Fail(@LeaseToken String leaseToken, @Schema(description = "Any JSON value: what went wrong") JsonNode error,
                @Schema(defaultValue = "true") Boolean retry) {
    }

    @Schema(name = "TaskHeartbeatRequest", requiredProperties = "lease_token")
    record Heartbeat(@LeaseToken String leaseToken) {
    }
}
