package dev.agentapi.task;

/** A create request as checked at the door, ready to store; JSON as text. */
record NewTask(String title, String description, String taskType, String platform, TaskPriority priority,
               String metadata, String payload, String agentId, int maxAttempts, String createdBy,
               String idempotencyKey, String requestHash, boolean trace) {

    /** Whether the task comes before its owner's other pending work: what the urgent cap counts. */
    boolean urgent() {
        return priority == TaskPriority.URGENT;
    }
}
