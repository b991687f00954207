package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.Map;

/**
 * Body of {@code PATCH /api/agents/browser/{agent_id}}: fields present are changed, absent ones kept.
 * {@code config} replaces the whole configuration. {@code version}, when given, must be the agent's
 * current version (as does an {@code If-Match} header).
 */
public record UpdateAgentRequest(
        @Schema(description = "Replaces the agent's configuration (JSON object, at most 16 KiB, nested at most 32 levels)") Map<String, Object> config,
        Boolean headless,
        @Valid ViewportRequest viewport,
        @Schema(description = "Expected current version (optimistic locking)") Long version) {
}
