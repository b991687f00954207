package dev.agentapi.browser;

/** What the runtime tells the owner of agents about browsers it did not close on request. */
public interface BrowserEvents {

    /** Closed by the runtime itself, for example after {@code idle_timeout}. */
    void stopped(String agentId, String reason);

    /** Died on its own: crashed, or its process was killed. */
    void crashed(String agentId, String reason);
}
