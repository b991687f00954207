package dev.agentapi.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** One row of the append-only audit trail. Immutable here and refused UPDATE/DELETE by the database. */
@Entity
@Immutable
@Table(name = "audit_logs")
class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_type", nullable = false, updatable = false)
    private String eventType;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private AuditAction action;

    @Column(name = "resource_type", nullable = false, updatable = false)
    private String resourceType;

    @Column(name = "resource_id", updatable = false)
    private String resourceId;

    @Column(name = "user_id", updatable = false)
    private String userId;

    @Column(name = "user_email", updatable = false)
    private String userEmail;

    @Column(name = "ip_address", updatable = false)
    private String ipAddress;

    @Column(name = "user_agent", updatable = false)
    private String userAgent;

    @Column(columnDefinition = "jsonb", updatable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String details;

    @Column(name = "old_value", columnDefinition = "jsonb", updatable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String oldValue;

    @Column(name = "new_value", columnDefinition = "jsonb", updatable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String newValue;

    @Column(nullable = false, updatable = false)
    private boolean success;

    @Column(name = "error_message", updatable = false)
    private String errorMessage;

    @Column(nullable = false, updatable = false)
    private Instant timestamp;

    protected AuditEntry() {
    }

    AuditEntry(String eventType, AuditAction action, String resourceType, String resourceId,
               String userId, String userEmail, String ipAddress, String userAgent,
               String details, String oldValue, String newValue,
               boolean success, String errorMessage, Instant timestamp) {
        this.eventType = eventType;
        this.action = action;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.userId = userId;
        this.userEmail = userEmail;
        this.ipAddress = ipAddress;
        this.userAgent = userAgent;
        this.details = details;
        this.oldValue = oldValue;
        this.newValue = newValue;
        this.success = success;
        this.errorMessage = errorMessage;
        this.timestamp = timestamp;
    }

    Long getId() { return id; }
    String getEventType() { return eventType; }
    AuditAction getAction() { return action; }
    String getResourceType() { return resourceType; }
    String getResourceId() { return resourceId; }
    String getUserId() { return userId; }
    String getUserEmail() { return userEmail; }
    String getIpAddress() { return ipAddress; }
    String getUserAgent() { return userAgent; }
    String getDetails() { return details; }
    String getOldValue() { return oldValue; }
    String getNewValue() { return newValue; }
    boolean isSuccess() { return success; }
    String getErrorMessage() { return errorMessage; }
    Instant getTimestamp() { return timestamp; }
}
