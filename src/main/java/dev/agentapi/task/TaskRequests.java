package dev.agentapi.task;

import tools.jackson.databind.JsonNode;

/** Request bodies of the task API. Fields stay loosely typed so each gets its own clear 400. */
public final class TaskRequests {

    private TaskRequests() {
    }

    public record Create(String title, String description, String taskType, String platform, String priority,
                  JsonNode metadata, JsonNode payload, Integer maxAttempts) {
    }

    record Claim(String taskType, String platform) {
    }

    record Complete(String leaseToken, JsonNode result) {
    }

    record Fail(String leaseToken, JsonNode error, Boolean retry) {
    }

    record Heartbeat(String leaseToken) {
    }
}
