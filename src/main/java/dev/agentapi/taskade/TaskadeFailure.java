package dev.agentapi.taskade;

/**
 * Why a call to Taskade did not give an answer we can use. Messages are ours, written for clients:
 * never Taskade's body, never a header, never the key.
 */
public class TaskadeFailure extends RuntimeException {

    public enum Kind {
        /** No key configured: 503. */
        NOT_CONFIGURED,
        /** The breaker is open after repeated failures: 503. */
        UNAVAILABLE,
        /** No answer within the read timeout: 504. */
        TIMEOUT,
        /** Taskade says the thing asked for does not exist: 404. */
        NOT_FOUND,
        /** Taskade answered an error, an unreadable body, or could not be reached: 502. */
        BAD_GATEWAY
    }

    private final Kind kind;
    private final int upstreamStatus;
    private final Long retryAfterSeconds;

    TaskadeFailure(Kind kind, String message, int upstreamStatus, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static TaskadeFailure of(Kind kind, String message) {
        return new TaskadeFailure(kind, message, 0, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Taskade's HTTP status, 0 when there was none. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** Seconds a client should wait, when known. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Counts against the breaker: Taskade or the way to it failed, not the request. */
    boolean isOutage() {
        return kind == Kind.TIMEOUT || (kind == Kind.BAD_GATEWAY && (upstreamStatus == 0 || upstreamStatus >= 500));
    }

    /** Worth another try for a read: the outage may pass, and Taskade's throttling asks for exactly that. */
    boolean isTransient() {
        return isOutage() || upstreamStatus == 429;
    }
}
