package dev.agentapi.browser;

/**
 * Why a browser operation failed, each with the HTTP status it means for a client: the agent
 * feature turns them into problem responses.
 */
public class BrowserFailure extends RuntimeException {

    public enum Kind {
        CHANNEL_UNAVAILABLE(422), NO_DISPLAY(422), CAPACITY(503), LAUNCH_FAILED(502), SELECTOR_NOT_FOUND(422),
        INVALID_ACTION(422), TIMEOUT(504), NAVIGATION_FAILED(502), NAVIGATION_REFUSED(403), BUSY(409), NOT_RUNNING(409),
        /** The browser was closed (idle, deleted) before the action ran: the action did nothing. */
        CLOSED(409),
        /** A remote browser endpoint could not be joined, or went away during the action. */
        REMOTE_UNAVAILABLE(503),
        /** The action's result (or the capture it needs) is over a configured limit; it was not pulled into the service. */
        RESULT_TOO_LARGE(422),
        /** Other large results are being pulled in right now, as many as memory allows; retry shortly. */
        OVERLOADED(503),
        /** The page's renderer crashed (it ran out of memory, say); the next action starts on a blank page. */
        PAGE_CRASHED(502),
        /** A ref from an earlier snapshot names no element now (the page changed): the client takes a new snapshot. */
        STALE_REF(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public BrowserFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BrowserFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
