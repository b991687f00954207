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
     * cancelled, this worker lost its lease to another, or the task's runtime budget is spent (the
     * task then fails for good).
     */
    void checkpoint();

    /**
     * Waits {@code duration} (a rate limit's refill, say), yielding as it goes: a cancel, a lost lease or the
     * task's runtime budget running out ends the wait as {@link #checkpoint()} would.
     */
    void pause(java.time.Duration duration);

    /** Stores a step's binary result, served by {@code GET .../{id}/result/{step}}. */
    void attach(int step, String mediaType, byte[] data);

    /** Whether the task asked for a trace of its run ({@code "trace": true}; only for handlers that {@link TaskHandler#traces()}). */
    boolean trace();

    /**
     * Keeps the trace of this attempt with the task (replacing an earlier attempt's) until {@code expiresAt}, served by
     * {@code GET .../{id}/trace}. Unlike {@link #attach}, a cancel or a spent budget does not stop it: the trace of a
     * cancelled run is kept too. False (nothing stored) when this worker lost the task's lease.
     */
    boolean attachTrace(byte[] zip, java.time.Instant expiresAt);

    /** The path that serves the task's trace. */
    default String tracePath() {
        return "/api/agents/mcp/tasks/" + taskId() + "/trace";
    }

    /** The path that serves a step's attachment. */
    default String attachmentPath(int step) {
        return "/api/agents/mcp/tasks/" + taskId() + "/result/" + step;
    }
}
