package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;

/**
 * V11 on the real PostgreSQL: a database at V10 holding owner ids of the old, plain form in every owner column is
 * migrated by the service as it starts, and then every owner id carries its source (key:), the audit trail answers
 * a filter by the new id with the entries written before, and is append-only again.
 */
@ExtendWith(RequiresPostgres.class)
class OwnerIdMigrationTest {

    static final String STORED_KEY = "test_stored_" + UUID.randomUUID();
    /** A token subject of 255 characters: it cannot take the four characters of its prefix whole. */
    static final String LONG = "s".repeat(250) + "12345";
    static String database;
    static String url;
    static JdbcTemplate jdbc;
    static ConfigurableApplicationContext service;

    @BeforeAll
    static void oldRowsThenTheServiceMigrates() throws Exception {
        url = TestDatabase.create();
        database = TestDatabase.nameOf(url);
        Flyway.configure().dataSource("jdbc:" + url, null, null).locations("classpath:db/migration")
                .placeholders(Map.of("runtime_role", "")).target("10").load().migrate();
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(DriverManager.getConnection("jdbc:" + url), true));
        assertThat(jdbc.queryForObject("SELECT max(version::int) FROM flyway_schema_history", Integer.class)).isEqualTo(10);

        jdbc.update("INSERT INTO browser_agents (id, created_by) VALUES ('old-alice', 'alice'), ('old-system', 'system'), "
                + "('old-nobody', NULL), ('old-long', ?)", LONG);
        jdbc.update("INSERT INTO projects (id, name, created_by) VALUES ('old-project', 'Launch', 'alice')");
        jdbc.update("INSERT INTO tasks (id, title, created_by, source, idempotency_key) VALUES "
                + "('old-queued', 'queued', 'alice', 'queue', 'k1'), ('old-mirrored', 'mirrored', 'bob', 'taskade', NULL)");
        jdbc.update("INSERT INTO api_keys (owner_id, role, key_hash, purpose) VALUES ('alice', 'user', ?, 'test')", sha256Hex(STORED_KEY));
        jdbc.update("INSERT INTO audit_logs (event_type, action, resource_type, resource_id, user_id, user_email, success) VALUES "
                + "('agent.create', 'CREATE', 'browser_agent', 'old-alice', 'alice', NULL, true), "
                + "('agent.crash', 'UPDATE', 'browser_agent', 'old-alice', 'system', NULL, false), "
                + "('access.unauthenticated', 'EXECUTE', 'route', 'GET /api/agents/browser', 'anonymous', NULL, false), "
                + "('agent.create', 'CREATE', 'browser_agent', 'old-token', 'carol', 'carol@example.com', true)");

        service = new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + url, "--agent-api.security.api-keys=" + TestKeys.property());
    }

    @AfterAll
    static void drop() throws SQLException {
        if (service != null) {
            service.close();
        }
        if (jdbc != null) {
            ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
        }
        TestDatabase.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static String sha256Hex(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static int port() {
        return ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    @Test
    void everyOwnerColumnCarriesTheSourceAndTheServiceActorAndNobodyStayAsTheyWere() throws Exception {
        assertThat(jdbc.queryForObject("SELECT max(version::int) FROM flyway_schema_history", Integer.class)).as("V11 and any later migration applied").isGreaterThanOrEqualTo(11);
        assertThat(jdbc.queryForList("SELECT id || '=' || coalesce(created_by, 'NULL') FROM browser_agents WHERE id LIKE 'old-%' "
                + "AND id <> 'old-long' ORDER BY id", String.class))
                .containsExactly("old-alice=key:alice", "old-nobody=NULL", "old-system=system");
        String longOwner = jdbc.queryForObject("SELECT created_by FROM browser_agents WHERE id = 'old-long'", String.class);
        assertThat(longOwner).hasSize(255).startsWith("key:" + LONG.substring(0, 218) + "#")
                .endsWith(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(LONG.getBytes(StandardCharsets.UTF_8))));
        assertThat(jdbc.queryForObject("SELECT created_by FROM projects WHERE id = 'old-project'", String.class)).isEqualTo("key:alice");
        assertThat(jdbc.queryForList("SELECT id || '=' || created_by FROM tasks WHERE id LIKE 'old-%' ORDER BY id", String.class))
                .containsExactly("old-mirrored=key:bob", "old-queued=key:alice");
        assertThat(jdbc.queryForObject("SELECT owner_id FROM api_keys WHERE purpose = 'test'", String.class)).isEqualTo("key:alice");
        assertThat(jdbc.queryForList("SELECT resource_id || '=' || user_id FROM audit_logs WHERE id <= 4 ORDER BY id", String.class))
                .containsExactly("old-alice=key:alice", "old-alice=system", "GET /api/agents/browser=anonymous", "old-token=key:carol");
        assertThat(jdbc.queryForObject("SELECT to_regproc('v11_owner_id_with_source') IS NULL", Boolean.class))
                .as("the migration's helper function is gone").isTrue();
    }

    @Test
    void theAuditTrailIsAppendOnlyAgainAfterItsOneRewrite() {
        assertThat(jdbc.queryForObject("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_logs_no_update_delete'", String.class))
                .isEqualTo("O");
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_logs SET user_id = 'alice' WHERE user_id = 'key:alice'"))
                .hasStackTraceContaining("audit_logs is append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_logs WHERE user_id = 'key:alice'")).hasStackTraceContaining("audit_logs is append-only");
    }

    @Test
    void anAdminFilteringTheAuditByTheNewIdFindsTheEntriesWrittenBefore() {
        Api admin = new Api(port());
        JsonNode entries = admin.get("/api/audit?user_id=key:alice&resource_id=old-alice").json().get("entries");
        assertThat(entries.valueStream().map(e -> e.get("event_type").asString() + " " + e.get("user_id").asString()))
                .containsExactly("agent.create key:alice");
        assertThat(admin.get("/api/audit?user_id=alice").json().get("entries").size()).as("nobody is plain alice any more").isZero();
    }

    @Test
    void anOwnerWhoseKeyKeepsItsNameKeepsTheirAgentsAndTasks() {
        for (String key : List.of(TestKeys.ALICE, STORED_KEY)) { // a key from AGENT_API_KEYS, and the stored key V11 rewrote
            Api alice = new Api(port(), key);
            Api.Response agent = alice.get("/api/agents/browser/old-alice");
            assertThat(agent.status()).as(agent.toString()).isEqualTo(200);
            assertThat(agent.json().get("created_by").asString()).isEqualTo("key:alice");
            assertThat(alice.get("/api/agents/mcp/tasks/old-queued").status()).isEqualTo(200);
        }
        assertThat(new Api(port(), TestKeys.BOB).get("/api/agents/browser/old-alice").status()).isEqualTo(404);
    }
}
