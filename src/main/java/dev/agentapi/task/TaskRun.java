package dev.agentapi.task;

import tools.jackson.databind.JsonNode;

/** One attempt at a task, as its handler sees it. */
public interface TaskRun {

    String taskId();

    /** Who created the task: the handler acts for them. */
    String owner();

    JsonNode payload();

    /** 1 for the first attempt. */
    int attempt();

    /**
     * Where the handler yields: throws (ending the attempt without a result) when the task was
     * cancelled or this worker lost its lease to another.
     */
    void checkpoint();

    /** Stores a step's binary result, served by {@code GET .../{id}/result/{step}}. */
    void attach(int step, String mediaType, byte[] data);

    /** The path that serves a step's attachment. */
    default String attachmentPath(int step) {
        return "/api/agents/mcp/tasks/" + taskId() + "/result/" + step;
    }
}
