package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service migrates as the schema owner (DATABASE_MIGRATION_URL) and runs as a role of its own
 * (DATABASE_URL) that may only insert and read audit rows: history cannot be changed with the
 * service's credentials, refused by privileges before any trigger is asked.
 */
@ExtendWith(RequiresPostgres.class)
class DatabaseRolesTest {

    static final String ROLE = "agent_api_runtime_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static String database;
    static String runtimeUrl;
    static ConfigurableApplicationContext service;

    @BeforeAll
    static void startAsTheRuntimeRole() {
        String ownerUrl = TestDatabase.create();
        database = TestDatabase.nameOf(ownerUrl);
        TestDatabase.execute("CREATE ROLE " + ROLE + " LOGIN");
        runtimeUrl = ownerUrl.replaceFirst("([?&])user=[^&]*", "$1user=" + ROLE);
        assertThat(runtimeUrl).contains("user=" + ROLE);
        service = new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + runtimeUrl, "--agent-api.database.migration-url=" + ownerUrl,
                "--agent-api.security.api-keys=" + TestKeys.property());
    }

    @AfterAll
    static void dropRole() {
        if (service != null) {
            service.close();
        }
        TestDatabase.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        TestDatabase.execute("DROP ROLE IF EXISTS " + ROLE);
    }

    private static Connection asRuntimeRole() throws SQLException {
        return DriverManager.getConnection("jdbc:" + runtimeUrl);
    }

    private static void assertRefusedByPrivileges(Statement statement, String sql, String message) {
        assertThatThrownBy(() -> statement.execute(sql)).as(sql)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                .hasMessageContaining(message)
                .hasMessageNotContaining("append-only");
    }

    @Test
    void theServiceRunsAsItsOwnRoleAndWorks() {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        String id = "roles-" + UUID.randomUUID();

        assertThat(service.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class)).isEqualTo(ROLE);
        Api api = new Api(port);
        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        assertThat(api.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of()).status()).isEqualTo(200);
        assertThat(api.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(api.get("/api/audit?resource_id=" + id).json().get("entries").size()).isEqualTo(3);
    }

    @Test
    void theServiceRoleCanInsertAndReadAuditRowsButNotChangeOrEraseThem() throws Exception {
        try (Connection c = asRuntimeRole(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO audit_logs (event_type, action, resource_type, resource_id, success) "
                    + "VALUES ('test.event', 'EXECUTE', 'test', 'roles-row', true)");
            try (var rs = s.executeQuery("SELECT count(*) FROM audit_logs WHERE resource_id = 'roles-row'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }

            assertRefusedByPrivileges(s, "UPDATE audit_logs SET success = false WHERE resource_id = 'roles-row'",
                    "permission denied for table audit_logs");
            assertRefusedByPrivileges(s, "DELETE FROM audit_logs WHERE resource_id = 'roles-row'",
                    "permission denied for table audit_logs");
            assertRefusedByPrivileges(s, "TRUNCATE audit_logs", "permission denied for table audit_logs");
            assertRefusedByPrivileges(s, "DROP TRIGGER audit_logs_no_update_delete ON audit_logs", "must be owner of");
            assertRefusedByPrivileges(s, "ALTER TABLE audit_logs DISABLE TRIGGER ALL", "must be owner of");
            assertRefusedByPrivileges(s, "DROP TABLE audit_logs", "must be owner of");
            assertRefusedByPrivileges(s, "DELETE FROM flyway_schema_history", "permission denied for table flyway_schema_history");
        }
    }
}
