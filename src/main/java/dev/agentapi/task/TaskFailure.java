package dev.agentapi.task;

import java.util.Map;

/**
 * A handler's failure with a known cause. {@code retryable} failures (the browser was busy, out of
 * capacity, timed out) go back to the queue while attempts remain; the others fail the task now.
 */
public class TaskFailure extends RuntimeException {

    private final boolean retryable;
    private final transient Map<String, ?> details;

    public TaskFailure(String message, boolean retryable, Map<String, ?> details) {
        super(message);
        this.retryable = retryable;
        this.details = details == null ? Map.of() : details;
    }

    public boolean retryable() {
        return retryable;
    }

    public Map<String, ?> details() {
        return details;
    }
}
