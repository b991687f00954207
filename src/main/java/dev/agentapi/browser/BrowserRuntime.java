package dev.agentapi.browser;

import java.time.Duration;
import java.util.Optional;

/**
 * Where agents' browsers run. Today {@link PlaywrightBrowserRuntime}, in this process; a remote
 * one (a browser grid) would implement the same role.
 */
public interface BrowserRuntime {

    /** Refuses, before anything is stored, what can never launch here (missing channel, headed without display). */
    LaunchSpec resolve(LaunchSpec requested);

    /** Launches a browser for the agent, bounded by the launch timeout; fails with {@link BrowserFailure}. */
    BrowserSession launch(String agentId, LaunchSpec spec);

    Optional<BrowserSession> session(String agentId);

    /** Closes the agent's browser, if it has one. */
    void close(String agentId);

    /** Runs one action, one at a time per agent. */
    ActionResult execute(String agentId, BrowserAction action);

    int inUse();

    int capacity();

    boolean isReady();

    Duration retryAfter();
}
