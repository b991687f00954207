package dev.agentapi.browser;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where agents' browsers run: {@link PlaywrightBrowserRuntime}, in this process and on the remote browser
 * servers it is configured with ({@code BROWSER_REMOTE_ENDPOINTS}).
 */
public interface BrowserRuntime {

    /** Refuses, before anything is stored, what can never launch here (missing channel, headed without display). */
    LaunchSpec resolve(LaunchSpec requested);

    /**
     * Launches a browser for the agent, bounded by the launch timeout; fails with {@link BrowserFailure}. The
     * session answered names the channel that runs ({@link BrowserSession#effectiveChannel()}: Chromium when the
     * requested channel fell back).
     */
    BrowserSession launch(String agentId, LaunchSpec spec);

    Optional<BrowserSession> session(String agentId);

    /**
     * The state of the agent's browser here now (storage state, tabs, active tab, viewport), to be saved; empty when it
     * has none here or cannot be read now (busy, gone).
     */
    default Optional<BrowserState> capture(String agentId) {
        return Optional.empty();
    }

    /**
     * Waits, at most {@code max}, while the runtime closes the agent's browser on its own (idle, hibernation) until that
     * close has been announced ({@link BrowserEvent.Stopped} handled: the state it read saved, the agent's status
     * recorded), so a launch that follows starts from that state; returns at once when no such close is under way.
     */
    default void awaitClosing(String agentId, Duration max) {
    }

    /** Closes the agent's browser, if it has one. */
    void close(String agentId);

    /** Runs one action, one at a time per agent. */
    ActionResult execute(String agentId, BrowserAction action);

    /** Browsers of agents, here and on remote endpoints. */
    int inUse();

    /** Places for agents' browsers: this process's, plus those of remote endpoints not known to be down. */
    int capacity();

    /** The remote endpoints and what is known of each (none configured: empty). */
    default List<RemoteState> remoteEndpoints() {
        return List.of();
    }

    /**
     * One remote endpoint as health reports show it: its name (no token), {@code up}, {@code down} or
     * {@code unknown} (not probed yet), this instance's agents there and its places, why it is down.
     */
    record RemoteState(String endpoint, String status, int inUse, int max, String error) {
    }

    boolean isReady();

    /** Why no browser can be launched, when {@link #isReady()} is false (the fix, where there is one). */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    Duration retryAfter();
}
