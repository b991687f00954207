package dev.agentapi.browser;

/**
 * What the runtime tells the application about browsers that change on their own, published through Spring's
 * {@code ApplicationEventPublisher} on the thread where it happened. The runtime knows browsers, not agents'
 * records: whoever owns those listens. A launch is not news: its caller has the answer
 * ({@link BrowserRuntime#launch}).
 */
public sealed interface BrowserEvent {

    String agentId();

    /**
     * Closed by the runtime itself, for example after {@code idle_timeout}; not sent for a close on request.
     * {@code state}: the browser's state, read just before it closed (null when it could not be read).
     */
    record Stopped(String agentId, String reason, BrowserState state) implements BrowserEvent {

        public Stopped(String agentId, String reason) {
            this(agentId, reason, null);
        }
    }

    /** Died on its own: crashed, its process was killed, or it stopped answering. */
    record Crashed(String agentId, String reason) implements BrowserEvent {
    }
}
