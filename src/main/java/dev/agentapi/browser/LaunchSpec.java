package dev.agentapi.browser;

/** What to launch for an agent. */
public record LaunchSpec(BrowserChannel channel, boolean headless, int viewportWidth, int viewportHeight, String userAgent) {
}
