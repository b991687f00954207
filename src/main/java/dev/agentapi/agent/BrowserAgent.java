package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A browser agent's record, a row of {@code browser_agents} (read and written by
 * {@link BrowserAgentRepository}). Soft-deleted rows keep their id and history. {@code version} is null
 * until the row is first stored; the repository writes a changed agent only, and only over the version
 * it read.
 */
class BrowserAgent {

    private String id;
    private BrowserChannel channel;
    private boolean headless;
    private AgentStatus status;
    private String config;
    private String createdBy;
    private String userAgent;
    private int viewportWidth;
    private int viewportHeight;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant deletedAt;
    private long totalActions;
    private long totalErrors;
    private Instant lastActionAt;
    private String statusReason;
    private BrowserChannel effectiveChannel;
    private Long version;
    /** What the row holds, as of the last read or write: a save with the same state writes nothing. */
    private List<Object> stored;

    /** The agent a {@code SELECT *} row (or {@code RETURNING *}) holds. */
    static BrowserAgent read(ResultSet row, int number) throws SQLException {
        return new BrowserAgent(row);
    }

    private BrowserAgent(ResultSet row) throws SQLException {
        id = row.getString("id");
        channel = channel(row.getString("channel"));
        headless = row.getBoolean("headless");
        status = AgentStatus.of(row.getString("status"))
                .orElseThrow(() -> new IllegalStateException("unknown agent status in the database"));
        config = row.getString("config");
        createdBy = row.getString("created_by");
        userAgent = row.getString("user_agent");
        viewportWidth = row.getInt("viewport_width");
        viewportHeight = row.getInt("viewport_height");
        createdAt = Rows.instant(row, "created_at");
        updatedAt = Rows.instant(row, "updated_at");
        deletedAt = Rows.instant(row, "deleted_at");
        totalActions = row.getLong("total_actions");
        totalErrors = row.getLong("total_errors");
        lastActionAt = Rows.instant(row, "last_action_at");
        statusReason = row.getString("status_reason");
        effectiveChannel = channel(row.getString("effective_channel"));
        stored(row.getLong("version"));
    }

    private static BrowserChannel channel(String value) {
        return value == null ? null : BrowserChannel.of(value)
                .orElseThrow(() -> new IllegalStateException("unknown browser channel in the database"));
    }

    /** The row now holds this state at {@code version}. */
    void stored(long version) {
        this.version = version;
        this.stored = state();
    }

    /** Whether the agent differs from what its row holds (a new agent always does). */
    boolean changed() {
        return version == null || !state().equals(stored);
    }

    private List<Object> state() {
        return Arrays.asList(channel, headless, status, config, createdBy, userAgent, viewportWidth, viewportHeight,
                createdAt, updatedAt, deletedAt, totalActions, totalErrors, lastActionAt, statusReason, effectiveChannel);
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
