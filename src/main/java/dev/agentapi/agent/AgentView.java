package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import java.time.Instant;
import java.util.Map;

/** An agent as clients see it. {@code channel} is what was asked for, {@code effectiveChannel} what runs. */
public record AgentView(String agentId, AgentStatus status, String statusReason, BrowserChannel channel,
                        BrowserChannel effectiveChannel, boolean headless,
                        Map<String, Object> config, Viewport viewport, String userAgent, String createdBy,
                        Instant createdAt, Instant updatedAt, long totalActions, long totalErrors,
                        Instant lastActionAt, long version) {

    public record Viewport(int width, int height) {
    }
}
