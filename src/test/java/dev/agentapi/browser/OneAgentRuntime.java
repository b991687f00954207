package dev.agentapi.browser;

import java.time.Duration;

/**
 * One agent's browser on a runtime of its own, for tests of the runtime alone (real Chromium, no Spring context):
 * launched with the given settings at an 800 × 600 viewport, driven by action records as the service drives it.
 * Housekeeping (its heartbeat takes the agent for a moment) runs every 10 s, and actions wait for it: a loaded
 * machine is slow.
 */
final class OneAgentRuntime implements AutoCloseable {

    private final PlaywrightBrowserRuntime runtime;
    private final String agent;

    private OneAgentRuntime(PlaywrightBrowserRuntime runtime, String agent) {
        this.runtime = runtime;
        this.agent = agent;
    }

    static OneAgentRuntime launch(BrowserProperties properties, String agent) {
        PlaywrightBrowserRuntime runtime = new PlaywrightBrowserRuntime(properties, Duration.ofSeconds(10), false, event -> { });
        runtime.start();
        try {
            runtime.launch(agent, new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));
        } catch (RuntimeException failed) {
            runtime.stop();
            throw failed;
        }
        return new OneAgentRuntime(runtime, agent);
    }

    ActionResult act(BrowserAction action) {
        return runtime.execute(agent, action);
    }

    /** The text of the element {@code selector} names. */
    String text(String selector) {
        return act(new BrowserAction.Text(selector, null, null)).text();
    }

    /** The kind of failure {@code action} ends in; an action that succeeds fails the test. */
    BrowserFailure.Kind failure(BrowserAction action) {
        try {
            act(action);
        } catch (BrowserFailure failure) {
            return failure.kind();
        }
        throw new AssertionError(action.type() + " did not fail");
    }

    @Override
    public void close() {
        runtime.stop();
    }
}
