package dev.agentapi.task;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A queue task as clients see it (snake_case JSON). Binary step results are not inline: see {@code result.steps[].attachment}. */
public record TaskView(String id, String title, String description, TaskStatus status, TaskPriority priority,
                       String taskType, String platform, JsonNode metadata, JsonNode payload, JsonNode result,
                       JsonNode error, String agentId, int attempts, int maxAttempts, boolean cancelRequested,
                       Instant leaseExpiresAt, Instant runAfter, String createdBy, Instant createdAt, Instant updatedAt,
                       Instant startedAt, Instant completedAt) {
}
