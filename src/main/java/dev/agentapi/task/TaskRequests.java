package dev.agentapi.task;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** Request bodies of the task API. Fields stay loosely typed so each gets its own clear 400. */
public final class TaskRequests {

    private TaskRequests() {
    }

    @Schema(name = "QueueTaskRequest", requiredProperties = "title")
    public record Create(@Schema(maxLength = 500) String title, String description,
                         @Schema(description = "`generic` (done by external workers) or `browser.actions` (run here)", defaultValue = "generic") String taskType,
                         @Schema(defaultValue = "unknown") String platform,
                         @Schema(allowableValues = {"low", "medium", "high", "urgent"}, defaultValue = "medium") String priority,
                         @Schema(types = "object", description = "Free-form JSON object") JsonNode metadata,
                         @Schema(types = "object", description = "What the task works on (JSON object); for `browser.actions`: `agent_id` and `actions`") JsonNode payload,
                         @Schema(minimum = "1", maximum = "10", description = "Attempts before the task fails; default: the service's (3)") Integer maxAttempts) {
    }

    @Schema(name = "ClaimTaskRequest")
    record Claim(@Schema(defaultValue = "generic") String taskType, String platform) {
    }

    @Schema(name = "CompleteTaskRequest", requiredProperties = "lease_token")
    record Complete(String leaseToken, @Schema(description = "Any JSON value") JsonNode result) {
    }

    @Schema(name = "FailTaskRequest", requiredProperties = "lease_token")
    record Fail(String leaseToken, @Schema(description = "Any JSON value: what went wrong") JsonNode error,
                @Schema(defaultValue = "true") Boolean retry) {
    }

    @Schema(name = "TaskHeartbeatRequest", requiredProperties = "lease_token")
    record Heartbeat(String leaseToken) {
    }
}
