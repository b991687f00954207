package dev.agentapi.task;

/** List filters; null fields match everything. */
record TaskFilter(TaskStatus status, TaskPriority priority, String taskType) {
}
