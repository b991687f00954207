package dev.agentapi.agent;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What is kept of an agent's browser state: the state itself (null when none is saved), when and why it was saved,
 * its size against the cap, and the last save skipped for being over the cap.
 */
@Schema(name = "AgentState")
record AgentStateView(
        String agentId,
        @Schema(description = "False when the agent's config says \"persist_state\": false: nothing is saved") boolean persistState,
        @Nullable @Schema(description = "When the state was saved (or put)") Instant savedAt,
        @Nullable @Schema(description = "Why: idle_timeout, service_restart, periodic or replaced") String saveReason,
        @Schema(description = "The saved state's size as JSON, in bytes (0: none)") int sizeBytes,
        @Schema(description = "The most an agent keeps (AGENT_STATE_MAX_SIZE), in bytes") long maxSizeBytes,
        @Nullable @Schema(description = "The last save that was skipped because the state was over the cap") Skipped lastSkipped,
        // the request's BrowserState as JSON: one schema per direction (see openapi/WireShapes)
        @Nullable @Schema(types = {"object", "null"}, description = "The saved state, in the shape `PUT` takes (`BrowserState`: "
                + "`storage_state` {`cookies`, `origins`}, `tabs`, `active_tab`, `viewport`, `session_storage`); null when none is saved") JsonNode state) {

    @Schema(name = "AgentStateSkip")
    record Skipped(Instant at, int sizeBytes, @Schema(allowableValues = "over_cap") String reason) {
    }
}
