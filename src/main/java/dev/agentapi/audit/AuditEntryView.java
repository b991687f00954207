package dev.agentapi.audit;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An audit entry as clients read it. */
public record AuditEntryView(long id, String eventType, AuditAction action, String resourceType, String resourceId,
                             String userId, String userEmail, String ipAddress, String userAgent,
                             JsonNode details, JsonNode oldValue, JsonNode newValue,
                             boolean success, String errorMessage, Instant timestamp) {
}
