package dev.agentapi.browser;

/**
 * What the runtime tells the application about browsers that change on their own, published through Spring's
 * {@code ApplicationEventPublisher} on the thread where it happened. The runtime knows browsers, not agents'
 * records: whoever owns those listens. A launch is not news: its caller has the answer
 * ({@link BrowserRuntime#launch}).
 */
public sealed interface BrowserEvent {

    String agentId();

    /** Closed by the runtime itself, for example after {@code idle_timeout}; not sent for a close on request. */
    record Stopped(String agentId, String reason) implements BrowserEvent {
    }

    /** Died on its own: crashed, its process was killed, or it stopped answering. */
    record Crashed(String agentId, String reason) implements BrowserEvent {
    }
}
