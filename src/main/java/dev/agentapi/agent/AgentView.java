package dev.agentapi.agent;

import java.time.Instant;
import java.util.Map;

/** An agent as clients see it. */
public record AgentView(String agentId, AgentStatus status, BrowserChannel channel, boolean headless,
                        Map<String, Object> config, Viewport viewport, String userAgent, String createdBy,
                        Instant createdAt, Instant updatedAt, long totalActions, long totalErrors,
                        Instant lastActionAt, long version) {

    public record Viewport(int width, int height) {
    }
}
