package dev.agentapi.agent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored traces ({@code agent_traces}, V13): the last one of each agent, until it expires or the agent goes. */
@Repository
class AgentTraceStore {

    private final JdbcClient jdbc;

    AgentTraceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored trace: the zip and when its recording started and stopped. */
    record StoredTrace(byte[] data, Instant startedAt, Instant stoppedAt) {
    }

    /** Stores the agent's trace, replacing its last one; false (nothing stored) when the agent is deleted. */
    boolean save(String agentId, byte[] zip, Instant startedAt, Instant stoppedAt, Instant expiresAt) {
        return jdbc.sql("INSERT INTO agent_traces (agent_id, data, size_bytes, started_at, stopped_at, expires_at) "
                        + "SELECT id, :data, :size, :started, :stopped, :expires FROM browser_agents "
                        + "WHERE id = :agent AND deleted_at IS NULL ON CONFLICT (agent_id) DO UPDATE SET "
                        + "data = EXCLUDED.data, size_bytes = EXCLUDED.size_bytes, started_at = EXCLUDED.started_at, "
                        + "stopped_at = EXCLUDED.stopped_at, expires_at = EXCLUDED.expires_at")
                .param("agent", agentId).param("data", zip).param("size", (long) zip.length)
                .param("started", utc(startedAt)).param("stopped", utc(stoppedAt)).param("expires", utc(expiresAt))
                .update() == 1;
    }

    /** The agent's trace unless it has expired. */
    Optional<StoredTrace> find(String agentId) {
        return jdbc.sql("SELECT data, started_at, stopped_at FROM agent_traces WHERE agent_id = :agent AND expires_at > now()")
                .param("agent", agentId)
                .query((rs, n) -> new StoredTrace(rs.getBytes("data"),
                        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("stopped_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Deletes the agent's trace (the agent is deleted); joins the caller's transaction. */
    void delete(String agentId) {
        jdbc.sql("DELETE FROM agent_traces WHERE agent_id = :agent").param("agent", agentId).update();
    }

    /** Deletes the traces that have expired; how many. */
    int deleteExpired() {
        return jdbc.sql("DELETE FROM agent_traces WHERE expires_at <= now()").update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
