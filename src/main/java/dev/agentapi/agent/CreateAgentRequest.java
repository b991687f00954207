package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Body of {@code POST /api/agents/browser}. {@code channel} and {@code headless} may also sit inside
 * {@code config}, as older clients send them; top-level values win. {@code launch}: launch the browser with the
 * create ({@code true}) or on the first action ({@code false}); absent, the service's
 * {@code agent-api.browser.launch-on-create} decides.
 */
public record CreateAgentRequest(
        @Schema(description = "Id to give the agent; generated when absent", example = "research-bot-1")
        @Pattern(regexp = AgentIds.PATTERN, message = "must match " + AgentIds.PATTERN) String agentId,
        @Schema(allowableValues = {"msedge", "chrome", "chromium"}, defaultValue = "chromium")
        @Pattern(regexp = "msedge|chrome|chromium", message = "must be one of msedge, chrome, chromium") String channel,
        @Schema(defaultValue = "true") Boolean headless,
        @Schema(description = "Free-form agent configuration (JSON object, at most 16 KiB, nested at most 32 levels)")
        Map<String, Object> config,
        @Valid ViewportRequest viewport,
        @Schema(description = "User-Agent string the browser presents") @Size(max = 512)
        @Pattern(regexp = "[^\\x00]*", message = AgentConfigRules.NUL) String userAgent,
        @Schema(description = "Launch the browser now (true) or on the first action (false); absent: the service's "
                + "setting (agent-api.browser.launch-on-create, true unless configured otherwise)") Boolean launch) {

    /** Without {@code launch}: the service's setting decides. */
    public CreateAgentRequest(String agentId, String channel, Boolean headless, Map<String, Object> config,
                              ViewportRequest viewport, String userAgent) {
        this(agentId, channel, headless, config, viewport, userAgent, null);
    }
}
