package dev.agentapi.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An audit entry as clients read it. */
@Schema(name = "AuditEntry")
public record AuditEntryView(long id, String eventType, AuditAction action, String resourceType, @Nullable String resourceId,
                             @Nullable String userId, @Nullable String userEmail, @Nullable String ipAddress,
                             @Nullable String userAgent, @Schema(description = "Any JSON, or null") JsonNode details,
                             @Schema(description = "Any JSON, or null") JsonNode oldValue,
                             @Schema(description = "Any JSON, or null") JsonNode newValue,
                             boolean success, @Nullable String errorMessage, Instant timestamp) {
}
