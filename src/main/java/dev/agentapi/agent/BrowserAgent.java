package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A browser agent's persistent record. Soft-deleted rows keep their id and history. */
@Entity
@Table(name = "browser_agents")
class BrowserAgent {

    @Id
    private String id;

    @Convert(converter = LowerCaseEnumConverters.Channel.class)
    @Column(nullable = false)
    private BrowserChannel channel;

    @Column(nullable = false)
    private boolean headless;

    @Convert(converter = LowerCaseEnumConverters.Status.class)
    @Column(nullable = false)
    private AgentStatus status;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String config;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "user_agent")
    private String userAgent;

    @Column(name = "viewport_width", nullable = false)
    private int viewportWidth;

    @Column(name = "viewport_height", nullable = false)
    private int viewportHeight;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Column(name = "total_actions", nullable = false)
    private long totalActions;

    @Column(name = "total_errors", nullable = false)
    private long totalErrors;

    @Column(name = "last_action_at")
    private Instant lastActionAt;

    @Column(name = "status_reason")
    private String statusReason;

    @Convert(converter = LowerCaseEnumConverters.Channel.class)
    @Column(name = "effective_channel")
    private BrowserChannel effectiveChannel;

    @Version
    private Long version;

    protected BrowserAgent() {
    }

    /** A new agent is {@code created}; {@link AgentLifecycle} moves it on from there. */
    BrowserAgent(String id, BrowserChannel channel, boolean headless, String config, String createdBy,
                 String userAgent, int viewportWidth, int viewportHeight, Instant now) {
        this.id = id;
        this.channel = channel;
        this.headless = headless;
        this.status = AgentStatus.CREATED;
        this.config = config;
        this.createdBy = createdBy;
        this.userAgent = userAgent;
        this.viewportWidth = viewportWidth;
        this.viewportHeight = viewportHeight;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void reconfigure(String config, Boolean headless, Integer viewportWidth, Integer viewportHeight, Instant now) {
        if (config != null) this.config = config;
        if (headless != null) this.headless = headless;
        if (viewportWidth != null) this.viewportWidth = viewportWidth;
        if (viewportHeight != null) this.viewportHeight = viewportHeight;
        this.updatedAt = now;
    }

    void markRunning(BrowserChannel effective, Instant now) {
        this.status = AgentStatus.RUNNING;
        this.statusReason = null;
        this.effectiveChannel = effective;
        this.updatedAt = now;
    }

    void markStarting(Instant now) {
        if (status == AgentStatus.STARTING) {
            return; // as created: nothing to write
        }
        this.status = AgentStatus.STARTING;
        this.statusReason = null;
        this.updatedAt = now;
    }

    void markStopped(String reason, Instant now) {
        this.status = AgentStatus.STOPPED;
        this.statusReason = reason;
        this.updatedAt = now;
    }

    void markHibernated(Instant now) {
        this.status = AgentStatus.HIBERNATED;
        this.statusReason = "idle";
        this.updatedAt = now;
    }

    void markError(String reason, Instant now) {
        this.status = AgentStatus.ERROR;
        this.statusReason = reason;
        this.updatedAt = now;
    }

    void recordAction(boolean success, Instant now) {
        this.totalActions++;
        if (!success) {
            this.totalErrors++;
        }
        this.lastActionAt = now;
        this.updatedAt = now;
    }

    void markDeleted(Instant now) {
        this.status = AgentStatus.STOPPED;
        this.statusReason = "deleted";
        this.deletedAt = now;
        this.updatedAt = now;
    }

    String getId() { return id; }
    BrowserChannel getChannel() { return channel; }
    boolean isHeadless() { return headless; }
    AgentStatus getStatus() { return status; }
    String getConfig() { return config; }
    String getCreatedBy() { return createdBy; }
    String getUserAgent() { return userAgent; }
    int getViewportWidth() { return viewportWidth; }
    int getViewportHeight() { return viewportHeight; }
    Instant getCreatedAt() { return createdAt; }
    Instant getUpdatedAt() { return updatedAt; }
    Instant getDeletedAt() { return deletedAt; }
    long getTotalActions() { return totalActions; }
    long getTotalErrors() { return totalErrors; }
    Instant getLastActionAt() { return lastActionAt; }
    Long getVersion() { return version; }
    String getStatusReason() { return statusReason; }
    BrowserChannel getEffectiveChannel() { return effectiveChannel; }
}
