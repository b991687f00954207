package dev.agentapi.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A queue task as clients see it (snake_case JSON). Binary step results are not inline: see {@code result.steps[].attachment}. */
@Schema(name = "QueuedTask")
public record TaskView(String id, String title, @Nullable String description, TaskStatus status, TaskPriority priority,
                       @Nullable String taskType, @Nullable String platform,
                       @Schema(description = "Free-form JSON object, or null") JsonNode metadata,
                       @Schema(description = "Free-form JSON object") JsonNode payload,
                       @Schema(description = "What the task produced (any JSON); for `browser.actions`, `steps`") JsonNode result,
                       @Schema(description = "Why the last attempt failed (any JSON)") JsonNode error,
                       @Nullable String agentId, int attempts, int maxAttempts, boolean cancelRequested,
                       @Nullable Instant leaseExpiresAt, @Nullable Instant runAfter, @Nullable String createdBy,
                       Instant createdAt, Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
                       @Schema(description = "Whether the task asked for a trace of its run (`GET .../{id}/trace` once stored)")
                       boolean trace) {
}
