package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What agents produced, for MCP's resources: each agent's last screenshot and last PDF ({@code agent_captures}, V16),
 * and, read from beside them, its stored trace ({@code agent_traces}, {@link AgentTraceStore}).
 */
@Repository
class AgentCaptureStore {

    private final JdbcClient jdbc;

    AgentCaptureStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A screenshot's or a PDF's bytes an action produced, to keep as the agent's last one of its kind. */
    record Capture(String kind, String mediaType, byte[] data) {

        /** What {@code action} produced to keep: its screenshot or its PDF; null for any other action, or none. */
        static Capture of(BrowserAction action, ActionResult result) {
            String kind = action instanceof BrowserAction.Screenshot ? "screenshot" : action instanceof BrowserAction.Pdf ? "pdf" : null;
            return kind == null || result.data() == null || result.mediaType() == null ? null
                    : new Capture(kind, result.mediaType(), result.data());
        }
    }

    /**
     * The upsert that keeps a capture as the agent's last of its kind, for the agent the {@code WITH} query
     * {@code counted} answers (none when the agent is deleted): the statement that counts an action runs it
     * ({@link AgentActionCounts}). Parameters {@code capture_kind}, {@code capture_type}, {@code capture_data},
     * {@code capture_size}; taken at {@code :now}, when the action was counted.
     */
    static final String KEEP_COUNTED = "INSERT INTO agent_captures (agent_id, kind, media_type, data, size_bytes, taken_at) "
            + "SELECT id, :capture_kind, :capture_type, :capture_data, :capture_size, :now FROM counted "
            + "ON CONFLICT (agent_id, kind) DO UPDATE SET media_type = EXCLUDED.media_type, data = EXCLUDED.data, "
            + "size_bytes = EXCLUDED.size_bytes, taken_at = EXCLUDED.taken_at";

    /** Deletes the agent's captures (the agent is deleted); joins the caller's transaction. */
    void delete(String agentId) {
        jdbc.sql("DELETE FROM agent_captures WHERE agent_id = :agent").param("agent", agentId).update();
    }

    /**
     * The agent's last capture of {@code kind} ({@code screenshot}, {@code pdf}, or {@code trace}: its stored trace
     * unless expired), its bytes only when they are at most {@code maxBytes} (else {@code data} is null).
     */
    Optional<AgentArtifacts.Content> find(String agentId, String kind, long maxBytes) {
        String sql = "trace".equals(kind)
                ? "SELECT 'application/zip' AS media_type, size_bytes, CASE WHEN size_bytes <= :max THEN data END AS data "
                        + "FROM agent_traces WHERE agent_id = :agent AND expires_at > now()"
                : "SELECT media_type, size_bytes, CASE WHEN size_bytes <= :max THEN data END AS data "
                        + "FROM agent_captures WHERE agent_id = :agent AND kind = :kind";
        return jdbc.sql(sql).param("agent", agentId).param("kind", kind).param("max", maxBytes)
                .query((rs, n) -> new AgentArtifacts.Content(rs.getString("media_type"), rs.getLong("size_bytes"), rs.getBytes("data")))
                .optional();
    }

    /** The captures and stored traces of {@code owner}'s agents that are not deleted, newest first, at most {@code limit}. */
    List<AgentArtifacts.Artifact> listOwned(String owner, int limit, @Nullable Instant afterAt, @Nullable String afterUri) {
        // "C" collation: the URIs (ASCII) order as Java's String.compareTo orders them, which merges pages in McpResources
        String after = afterAt == null ? "" : "WHERE at < :at OR (at = :at AND uri COLLATE \"C\" > :uri) ";
        var query = jdbc.sql("SELECT * FROM ("
                        + "SELECT c.agent_id, c.kind, c.media_type, c.size_bytes, c.taken_at AS at, "
                        + "'agent://' || c.agent_id || '/' || c.kind AS uri FROM agent_captures c "
                        + "JOIN browser_agents a ON a.id = c.agent_id WHERE a.created_by = :owner AND a.deleted_at IS NULL "
                        + "UNION ALL "
                        + "SELECT t.agent_id, 'trace', 'application/zip', t.size_bytes, t.stopped_at, 'agent://' || t.agent_id || '/trace' "
                        + "FROM agent_traces t JOIN browser_agents a ON a.id = t.agent_id WHERE a.created_by = :owner "
                        + "AND a.deleted_at IS NULL AND t.expires_at > now()) artifacts " + after
                        + "ORDER BY at DESC, uri COLLATE \"C\" LIMIT :limit")
                .param("owner", owner).param("limit", limit);
        if (afterAt != null) {
            query = query.param("at", afterAt.atOffset(java.time.ZoneOffset.UTC)).param("uri", afterUri);
        }
        return query.query((rs, n) -> new AgentArtifacts.Artifact(rs.getString("agent_id"), rs.getString("kind"),
                        rs.getString("media_type"), rs.getLong("size_bytes"), rs.getObject("at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
