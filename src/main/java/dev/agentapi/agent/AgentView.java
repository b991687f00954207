package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Map;

/** An agent as clients see it. {@code channel} is what was asked for, {@code effectiveChannel} what runs. */
@Schema(name = "Agent")
public record AgentView(String agentId, AgentStatus status, @Nullable String statusReason, BrowserChannel channel,
                        @Nullable BrowserChannel effectiveChannel, boolean headless,
                        @Schema(description = "The agent's free-form configuration") Map<String, Object> config,
                        Viewport viewport, @Nullable String userAgent, @Nullable String createdBy,
                        Instant createdAt, Instant updatedAt, long totalActions, long totalErrors,
                        @Nullable Instant lastActionAt, @Schema(description = "Changes with every change; the ETag") long version) {

    public record Viewport(int width, int height) {
    }
}
