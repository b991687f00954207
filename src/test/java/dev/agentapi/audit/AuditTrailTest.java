package dev.agentapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditTrailTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditRefusals refusals;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private long auditRows(String resourceId, boolean success) {
        return jdbc.queryForObject("select count(*) from audit_logs where resource_id = ? and success = ?",
                Long.class, resourceId, success);
    }

    @Test
    void everySuccessfulWriteHasExactlyOneAuditEntryInTheSameTransaction() {
        String id = "audited-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        api.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of());
        api.patch("/api/agents/browser/" + id, "{\"viewport\": {\"width\": 640}}", Map.of());
        api.delete("/api/agents/browser/" + id);

        assertThat(auditRows(id, true)).isEqualTo(4);
        assertThat(auditRows(id, false)).isZero();
        assertThat(jdbc.queryForList("select action from audit_logs where resource_id = ? order by id", String.class, id))
                .containsExactly("CREATE", "UPDATE", "UPDATE", "DELETE");
    }

    @Test
    void largeValuesAreStoredBoundedWithAMarker() {
        String id = "bounded-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        // the largest config an agent may have (16 KiB): the agent around it is larger than the bound
        Api.Response patched = api.patch("/api/agents/browser/" + id,
                Api.json(Map.of("config", Map.of("notes", "n".repeat(16_000)))), Map.of());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);

        Map<String, Object> row = jdbc.queryForMap("""
                select octet_length(old_value::text) as old_bytes, octet_length(new_value::text) as new_bytes,
                       new_value ->> 'truncated' as truncated, (new_value ->> 'original_bytes')::int as original_bytes,
                       new_value ->> 'sha256' as sha256, new_value ->> 'preview' as preview
                from audit_logs where resource_id = ? and event_type = 'agent.update'""", id);
        assertThat((Integer) row.get("new_bytes")).isLessThanOrEqualTo(16 * 1024);
        assertThat(row.get("truncated")).isEqualTo("true");
        assertThat((Integer) row.get("original_bytes")).isGreaterThan(16 * 1024);
        assertThat((String) row.get("sha256")).matches("[0-9a-f]{64}");
        assertThat((String) row.get("preview")).startsWith("{").contains("nnnn");
        assertThat((Integer) row.get("old_bytes")).as("a small value is kept whole").isLessThan(2048);
        JsonNode old = api.get("/api/audit?resource_id=" + id + "&event_type=agent.update").json().get("entries").get(0).get("old_value");
        assertThat(old.get("agent_id").asString()).isEqualTo(id);
    }

    @Test
    void entriesCarryClientDetailsAndOldAndNewValues() {
        String id = "details-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        api.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of());

        JsonNode update = api.get("/api/audit?resource_id=" + id + "&event_type=agent.update").json().get("entries").get(0);
        assertThat(update.get("ip_address").asString()).isEqualTo("127.0.0.1");
        assertThat(update.get("user_agent").asString()).contains("Java-http-client");
        assertThat(update.get("old_value").get("headless").asBoolean()).isTrue();
        assertThat(update.get("new_value").get("headless").asBoolean()).isFalse();
        assertThat(update.get("success").asBoolean()).isTrue();
    }

    @Test
    void failedCreateLeavesNoAgentRowAndExactlyOneFailureEntry() {
        String id = "doomed-" + UUID.randomUUID();
        // Make the database refuse this agent's success entry: the agent row is inserted first, so
        // only an atomic create leaves no agent behind.
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.resource_id = '%s' AND NEW.success THEN RAISE EXCEPTION 'refused by test'; END IF;
                  RETURN NEW;
                END $$""".formatted(id));
        jdbc.execute("CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()");
        try {
            Api.Response response = api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("refused by test");
        } finally {
            jdbc.execute("DROP TRIGGER test_refuse_audit ON audit_logs");
        }
        assertThat(jdbc.queryForObject("select count(*) from browser_agents where id = ?", Long.class, id)).isZero();
        assertThat(auditRows(id, true)).isZero();
        assertThat(auditRows(id, false)).isEqualTo(1);
    }

    @Test
    void aRefusedDeleteIsAuditedAsFailure() {
        String id = "gone-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        api.delete("/api/agents/browser/" + id);

        assertThat(api.delete("/api/agents/browser/" + id).status()).isEqualTo(404);

        assertThat(jdbc.queryForList("select action || ':' || success from audit_logs where resource_id = ? order by id",
                String.class, id)).containsExactly("CREATE:true", "DELETE:true", "DELETE:false");
    }

    @Test
    void refusedCreateOfTakenIdIsAuditedAsFailure() {
        String id = "taken-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(409);

        assertThat(auditRows(id, true)).isEqualTo(1);
        JsonNode failure = api.get("/api/audit?resource_id=" + id).json().get("entries").get(0);
        assertThat(failure.get("success").asBoolean()).isFalse();
        assertThat(failure.get("error_message").asString()).contains("already exists");
    }

    @Test
    void databaseRefusesUpdateDeleteAndTruncateOfAuditRows() {
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", "immutable-" + UUID.randomUUID())));
        long before = jdbc.queryForObject("select count(*) from audit_logs", Long.class);

        assertThatThrownBy(() -> jdbc.update("update audit_logs set success = false"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_logs"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_logs"))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");

        assertThat(jdbc.queryForObject("select count(*) from audit_logs", Long.class)).isEqualTo(before);
    }

    @Test
    void queryFiltersAndPagesNewestFirst() {
        String id = "query-" + UUID.randomUUID();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        for (int i = 0; i < 3; i++) {
            api.patch("/api/agents/browser/" + id, "{\"config\": {\"n\": " + i + "}}", Map.of());
        }

        JsonNode all = api.get("/api/audit?resource_type=browser_agent&resource_id=" + id).json();
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("entries").get(0).get("action").asString()).isEqualTo("UPDATE");
        assertThat(all.get("entries").get(3).get("action").asString()).isEqualTo("CREATE");
        long first = all.get("entries").get(0).get("id").asLong();
        long second = all.get("entries").get(1).get("id").asLong();
        assertThat(first).isGreaterThan(second);

        JsonNode page = api.get("/api/audit?resource_id=" + id + "&page=1&size=3").json();
        assertThat(page.get("entries").size()).isEqualTo(1);

        JsonNode creates = api.get("/api/audit?resource_id=" + id + "&event_type=agent.create&user_id=key:admin").json();
        assertThat(creates.get("total").asLong()).isEqualTo(1);

        JsonNode future = api.get("/api/audit?resource_id=" + id + "&from=2999-01-01T00:00:00Z").json();
        assertThat(future.get("total").asLong()).isZero();
        JsonNode past = api.get("/api/audit?resource_id=" + id + "&to=2000-01-01T00:00:00Z").json();
        assertThat(past.get("total").asLong()).isZero();
    }

    @Test
    void nulInQueryParametersIs400() {
        for (String parameter : new String[] {"resource_type", "resource_id", "event_type", "user_id"}) {
            Api.Response response = api.get("/api/audit?" + parameter + "=a%00b");

            assertThat(response.status()).as(parameter + " -> " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("errors").get(parameter).asString()).contains("NUL");
            assertThat(response.body()).doesNotContain("Exception", "SQL", "at dev.");
        }
        assertThat(api.get("/api/audit?resource_id=%00").status()).isEqualTo(400);
        assertThat(api.get("/api/audit?resource_id=a-b").status()).isEqualTo(200);
    }

    @Test
    void refusedRequestsAreAuditedOncePerWindowWithTheirCount() {
        refusals.flush(); // what earlier tests left goes into a window of its own
        String probed = "/api/agents/browser/probe-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(Api.anonymous(port).get(probed + "?secret=" + i).status()).isEqualTo(401);
        }
        assertThat(new Api(port, "not-a-key-" + UUID.randomUUID()).get(probed).status()).isEqualTo(401);
        assertThat(new Api(port, dev.agentapi.support.TestKeys.ALICE).get("/api/audit?resource_id=" + probed).status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from audit_logs where resource_id = ?", Long.class, "GET " + probed))
                .as("nothing written before the window ends").isZero();

        refusals.flush();

        List<Map<String, Object>> unauthenticated = jdbc.queryForList("select event_type, action, user_id, ip_address, success, "
                + "details->>'count' as count, details->'samples'->0->>'status' as status from audit_logs where resource_id = ?",
                "GET " + probed);
        assertThat(unauthenticated).hasSize(1);
        assertThat(unauthenticated.get(0)).containsEntry("event_type", "access.unauthenticated").containsEntry("action", "EXECUTE")
                .containsEntry("user_id", "anonymous").containsEntry("success", false).containsEntry("count", "4")
                .containsEntry("status", "401");
        assertThat(String.valueOf(unauthenticated.get(0).get("ip_address"))).contains("127.0.0.1");
        assertThat(jdbc.queryForList("select resource_id from audit_logs where resource_id like ?", String.class, "%secret%"))
                .as("no query string is kept").isEmpty();
        List<Map<String, Object>> denied = jdbc.queryForList("select event_type, details->>'count' as count from audit_logs "
                + "where resource_id = 'GET /api/audit' and user_id = 'key:alice' and event_type = 'access.denied'");
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0)).containsEntry("count", "1");
    }
}
