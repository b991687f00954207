package dev.agentapi.agent;

import static dev.agentapi.database.Rows.at;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code browser_agents}: reads, counts, and writes that never overwrite a version they did not read. */
@Repository
class BrowserAgentRepository {

    private final JdbcClient jdbc;

    BrowserAgentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the id is taken, by a live agent or a deleted one. */
    boolean existsById(String id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM browser_agents WHERE id = :id)").param("id", id)
                .query(Boolean.class).single();
    }

    Optional<BrowserAgent> findByIdAndDeletedAtIsNull(String id) {
        return jdbc.sql("SELECT * FROM browser_agents WHERE id = :id AND deleted_at IS NULL").param("id", id)
                .query(BrowserAgent::read).optional();
    }

    Optional<BrowserAgent> findByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy) {
        return jdbc.sql("SELECT * FROM browser_agents WHERE id = :id AND created_by = :owner AND deleted_at IS NULL")
                .param("id", id).param("owner", createdBy).query(BrowserAgent::read).optional();
    }

    List<BrowserAgent> findByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses) {
        return jdbc.sql("SELECT * FROM browser_agents WHERE status IN (:statuses) AND deleted_at IS NULL")
                .param("statuses", values(statuses)).query(BrowserAgent::read).list();
    }

    long countByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses) {
        return jdbc.sql("SELECT count(*) FROM browser_agents WHERE status IN (:statuses) AND deleted_at IS NULL")
                .param("statuses", values(statuses)).query(Long.class).single();
    }

    long countByCreatedByAndStatusInAndDeletedAtIsNullAndIdNot(String createdBy, Collection<AgentStatus> statuses, String id) {
        return jdbc.sql("""
                        SELECT count(*) FROM browser_agents
                        WHERE created_by = :owner AND status IN (:statuses) AND deleted_at IS NULL AND id <> :id""")
                .param("owner", createdBy).param("statuses", values(statuses)).param("id", id).query(Long.class).single();
    }

    /**
     * Counts an action atomically (concurrent writers never lose one) and returns the agent as it
     * now is, in one round trip.
     */
    Optional<BrowserAgent> recordAction(String id, int errors, Instant now) {
        return jdbc.sql("""
                        UPDATE browser_agents SET total_actions = total_actions + 1, total_errors = total_errors + :errors,
                               last_action_at = :now, updated_at = :now, version = version + 1
                        WHERE id = :id AND deleted_at IS NULL
                        RETURNING *""")
                .param("id", id).param("errors", errors).param("now", at(now)).query(BrowserAgent::read).optional();
    }

    /**
     * Inserts a new agent (version 0), or writes a changed one over the version it was read at
     * (version + 1); an unchanged agent is not written. A row changed meanwhile by another writer is
     * not overwritten: {@link OptimisticLockingFailureException}, and the agent keeps its version.
     */
    void save(BrowserAgent agent) {
        if (!agent.changed()) {
            return;
        }
        if (agent.getVersion() == null) {
            jdbc.sql("""
                            INSERT INTO browser_agents (id, channel, headless, status, config, created_by, user_agent,
                                viewport_width, viewport_height, created_at, updated_at, deleted_at, total_actions, total_errors,
                                last_action_at, status_reason, effective_channel, version)
                            VALUES (:id, :channel, :headless, :status, :config::jsonb, :createdBy, :userAgent,
                                :width, :height, :createdAt, :updatedAt, :deletedAt, :totalActions, :totalErrors,
                                :lastActionAt, :statusReason, :effectiveChannel, 0)""")
                    .params(columns(agent)).update();
            agent.stored(0);
            return;
        }
        int updated = jdbc.sql("""
                        UPDATE browser_agents SET channel = :channel, headless = :headless, status = :status,
                            config = :config::jsonb, created_by = :createdBy, user_agent = :userAgent,
                            viewport_width = :width, viewport_height = :height, updated_at = :updatedAt,
                            deleted_at = :deletedAt, total_actions = :totalActions, total_errors = :totalErrors,
                            last_action_at = :lastActionAt, status_reason = :statusReason,
                            effective_channel = :effectiveChannel, version = version + 1
                        WHERE id = :id AND version = :version""")
                .params(columns(agent)).update();
        if (updated == 0) {
            throw new OptimisticLockingFailureException("agent " + agent.getId() + " changed since version " + agent.getVersion());
        }
        agent.stored(agent.getVersion() + 1);
    }

    private static Map<String, Object> columns(BrowserAgent agent) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", agent.getId());
        columns.put("channel", agent.getChannel().value());
        columns.put("headless", agent.isHeadless());
        columns.put("status", agent.getStatus().value());
        columns.put("config", agent.getConfig());
        columns.put("createdBy", agent.getCreatedBy());
        columns.put("userAgent", agent.getUserAgent());
        columns.put("width", agent.getViewportWidth());
        columns.put("height", agent.getViewportHeight());
        columns.put("createdAt", at(agent.getCreatedAt()));
        columns.put("updatedAt", at(agent.getUpdatedAt()));
        columns.put("deletedAt", at(agent.getDeletedAt()));
        columns.put("totalActions", agent.getTotalActions());
        columns.put("totalErrors", agent.getTotalErrors());
        columns.put("lastActionAt", at(agent.getLastActionAt()));
        columns.put("statusReason", agent.getStatusReason());
        columns.put("effectiveChannel", agent.getEffectiveChannel() == null ? null : agent.getEffectiveChannel().value());
        columns.put("version", agent.getVersion());
        return columns;
    }

    private static List<String> values(Collection<AgentStatus> statuses) {
        return statuses.stream().map(AgentStatus::value).toList();
    }
}
