package dev.agentapi.task;

import java.time.Instant;

/**
 * A queue task as stored, JSON columns as text. {@code leaseOwner} is the claim's secret token and
 * never leaves the service except to the claimer; views leave it out. {@code runtimeMs}: time spent
 * running in finished attempts; {@code maxRuntimeMs}: its runtime budget over all attempts (null: none). {@code trace}: whether it asked for a trace
 * of its run.
 */
record TaskRow(String id, String title, String description, TaskStatus status, TaskPriority priority, String taskType,
               String platform, String metadata, String payload, String result, String error, String agentId,
               int attempts, int maxAttempts, boolean cancelRequested, String leaseOwner, Instant leaseExpiresAt,
               Instant runAfter, String idempotencyKey, String requestHash, String createdBy, Instant createdAt,
               Instant updatedAt, Instant startedAt, Instant completedAt, long runtimeMs, Long maxRuntimeMs,
               boolean trace) {
}
