package dev.agentapi.audit;

import java.util.Map;
import java.util.Objects;

/**
 * What happened, as the feature that did it describes it. The audit trail adds who, from where
 * and when. {@code details}, {@code oldValue} and {@code newValue} are stored as JSON.
 */
public record AuditRecord(String eventType, AuditAction action, String resourceType, String resourceId,
                          Map<String, ?> details, Object oldValue, Object newValue) {

    public AuditRecord {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceType, "resourceType");
    }
}
