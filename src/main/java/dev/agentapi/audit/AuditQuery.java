package dev.agentapi.audit;

import java.time.Instant;

/** Filters for the audit query; every field is optional. Times are inclusive from, exclusive to. */
public record AuditQuery(String resourceType, String resourceId, String eventType, String userId,
                         Instant from, Instant to, int page, int size) {
}
