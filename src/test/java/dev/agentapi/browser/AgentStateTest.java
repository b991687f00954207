package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An agent outlives its browser: what its browser held (a login's cookie, localStorage, the tab it was on) is saved,
 * sealed, when the browser is released for idleness (hibernation), and its next action finds it all back (the tab's
 * sessionStorage too) in a new browser. Real Chromium,
 * a local site that logs in with an HttpOnly cookie ({@link LoginPages}), the real PostgreSQL. In the rate-limit
 * context, whose agents hibernate (or, opted out of saved state, stop) after 1 s idle and whose saved states are capped
 * at 256 KB; mia's and nick's buckets
 * are no other class's. What the state holds appears in no log line and no audit entry.
 */
@RateLimitIntegrationTest
@ExtendWith({RequiresChromium.class, OutputCaptureExtension.class})
class AgentStateTest {

    @LocalServerPort
    int port;

    @RegisterExtension
    static final LoginPages site = new LoginPages();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aLoginSurvivesHibernationAndTheStoredBytesDoNotHoldIt(CapturedOutput output) {
        Api mia = new Api(port, TestKeys.MIA);
        String id = "state-" + UUID.randomUUID();
        String secret = "cookie-" + UUID.randomUUID();
        create(mia, id, Map.of());
        loginAndOpenProfile(mia, id, "mia", secret);

        awaitHibernatedSaved(mia, id);
        byte[] stored = jdbc.sql("SELECT ciphertext FROM agent_states WHERE agent_id = ?").param(id).query(byte[].class).single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).as("sealed at rest")
                .doesNotContain(secret).doesNotContain("note-of-mia").doesNotContain("tab-of-mia").doesNotContain("profile");

        // the next action runs in a new browser, on the tab the last one was on, with its cookie, localStorage and the
        // tab's sessionStorage (there before the page's script read it)
        Api.Response who = text(mia, id, "#who");
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().get("url").asString()).isEqualTo(site.url("/profile"));
        assertThat(who.json().get("text").asString()).isEqualTo("Logged in as mia");
        assertThat(text(mia, id, "#note").json().get("text").asString()).isEqualTo("note-of-mia");
        assertThat(text(mia, id, "#tab-note").json().get("text").asString()).isEqualTo("tab-of-mia");

        JsonNode state = mia.get("/api/agents/browser/" + id + "/state").json();
        assertThat(state.get("save_reason").asString()).isEqualTo("hibernated");
        assertThat(state.get("state").get("storage_state").get("cookies").toString()).contains(secret);
        assertThat(state.get("state").get("tabs").toString()).contains(site.url("/profile"));
        JsonNode tabStorage = state.get("state").get("session_storage");
        assertThat(tabStorage.size()).as(tabStorage.toString()).isEqualTo(1);
        assertThat(tabStorage.get(0).get("tab").asInt()).isZero();
        assertThat(tabStorage.get(0).get("origin").asString()).isEqualTo(site.url(""));
        assertThat(tabStorage.get(0).get("items").toString()).isEqualTo("[{\"name\":\"tab-note\",\"value\":\"tab-of-mia\"}]");

        // what the state holds is in no log line (telemetry's local events included) and no audit entry of the agent
        assertThat(output.getAll()).as("logs").contains(id).doesNotContain(secret).doesNotContain("note-of-mia").doesNotContain("tab-of-mia");
        List<String> audited = jdbc.sql("SELECT row_to_json(a)::text FROM audit_logs a WHERE resource_id = ?").param(id)
                .query(String.class).list();
        assertThat(audited).as("audit entries").isNotEmpty().anySatisfy(entry -> assertThat(entry).contains("agent.hibernated"))
                .noneSatisfy(entry -> assertThat(entry).containsAnyOf(secret, "note-of-mia", "tab-of-mia"));

        assertThat(mia.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM agent_states WHERE agent_id = ?").param(id).query(Long.class).single())
                .as("the state goes with the agent").isZero();
    }

    @Test
    void aStateOverTheCapIsNotSavedButCountedAndReported() {
        Api mia = new Api(port, TestKeys.MIA);
        String id = "state-big-" + UUID.randomUUID();
        double before = overCap();
        create(mia, id, Map.of());
        assertThat(navigate(mia, id, site.url("/big?kb=300")).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> mia.get("/api/agents/browser/" + id + "/state").json().get("last_skipped") != null
                && !mia.get("/api/agents/browser/" + id + "/state").json().get("last_skipped").isNull());
        JsonNode state = mia.get("/api/agents/browser/" + id + "/state").json();
        assertThat(state.get("last_skipped").get("size_bytes").asInt()).isGreaterThan(256 * 1024);
        assertThat(state.get("last_skipped").get("reason").asString()).isEqualTo("over_cap");
        assertThat(state.get("max_size_bytes").asLong()).isEqualTo(256 * 1024);
        assertThat(state.get("size_bytes").asInt()).isLessThanOrEqualTo(256 * 1024);
        assertThat(overCap()).isGreaterThan(before);
        mia.delete("/api/agents/browser/" + id);
    }

    @Test
    void anAgentThatOptedOutKeepsNothing() {
        Api mia = new Api(port, TestKeys.MIA);
        Api.Response refused = mia.post("/api/agents/browser", Api.json(Map.of("config", Map.of("persist_state", "no"))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").has("config.persist_state")).isTrue();

        String id = "state-out-" + UUID.randomUUID();
        create(mia, id, Map.of("persist_state", false));
        loginAndOpenProfile(mia, id, "mia", "cookie-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(30)).until(() -> "stopped".equals(mia.get("/api/agents/browser/" + id).json().get("status").asString()));

        JsonNode state = mia.get("/api/agents/browser/" + id + "/state").json();
        assertThat(state.get("persist_state").asBoolean()).isFalse();
        assertThat(state.get("state").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM agent_states WHERE agent_id = ?").param(id).query(Long.class).single()).isZero();
        Api.Response after = navigate(mia, id, site.url("/profile"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(text(mia, id, "#who").json().get("text").asString()).isEqualTo("Anonymous");
        mia.delete("/api/agents/browser/" + id);
    }

    @Test
    void aDownloadedStatePutOnAnotherAgentLogsItInWithItsTabs() {
        Api mia = new Api(port, TestKeys.MIA);
        String from = "state-from-" + UUID.randomUUID();
        String to = "state-to-" + UUID.randomUUID();
        create(mia, from, Map.of());
        loginAndOpenProfile(mia, from, "mia", "cookie-" + UUID.randomUUID());
        awaitHibernatedSaved(mia, from);
        ObjectNode state = (ObjectNode) mia.get("/api/agents/browser/" + from + "/state").json().get("state");
        // two tabs, the second one active, each with a sessionStorage of its own
        state.putArray("tabs").add(site.url("/profile?tab=0")).add(site.url("/profile?tab=1"));
        state.put("active_tab", 1);
        assertThat(state.get("session_storage").toString()).as("downloaded as it was saved").contains("tab-of-mia");
        var tabStorage = state.putArray("session_storage");
        tabStorage.addObject().put("tab", 0).put("origin", site.url("")).putArray("items").addObject().put("name", "tab-note").put("value", "put-0");
        tabStorage.addObject().put("tab", 1).put("origin", site.url("")).putArray("items").addObject().put("name", "tab-note").put("value", "put-1");

        create(mia, to, Map.of());
        Api.Response put = put(mia, "/api/agents/browser/" + to + "/state", Api.json(Map.of("state", state)));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("save_reason").asString()).isEqualTo("replaced");
        // the browser that ran when the state was put hibernates: its own (blank) state does not overwrite the one put
        await().atMost(Duration.ofSeconds(30)).until(() -> "hibernated".equals(mia.get("/api/agents/browser/" + to).json().get("status").asString()));
        assertThat(mia.get("/api/agents/browser/" + to + "/state").json().get("save_reason").asString()).isEqualTo("replaced");

        Api.Response who = text(mia, to, "#who");
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().get("url").asString()).isEqualTo(site.url("/profile?tab=1"));
        assertThat(who.json().get("text").asString()).isEqualTo("Logged in as mia");
        assertThat(text(mia, to, "#tab-note").json().get("text").asString()).isEqualTo("put-1");
        Api.Response first = mia.post("/api/agents/browser/" + to + "/actions", Api.json(Map.of("type", "tabs", "action", "select", "index", 0)));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(text(mia, to, "#tab-note").json().get("text").asString()).as("each tab its own").isEqualTo("put-0");

        assertThat(new Api(port, TestKeys.NICK).get("/api/agents/browser/" + to + "/state").status()).as("another owner's").isEqualTo(404);
        assertThat(put(new Api(port, TestKeys.NICK), "/api/agents/browser/" + to + "/state", Api.json(Map.of("state", state))).status())
                .isEqualTo(404);
        assertThat(new Api(port, TestKeys.ADMIN).get("/api/agents/browser/" + to + "/state").status()).isEqualTo(200);
        List.of(from, to).forEach(id -> mia.delete("/api/agents/browser/" + id));
    }

    @Test
    void aBadOrOversizedStateIsRefused() {
        Api mia = new Api(port, TestKeys.MIA);
        String id = "state-bad-" + UUID.randomUUID();
        // no browser: one running would hibernate after 1 s and save its own (blank) state before "nothing stored" is read
        Api.Response created = mia.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "launch", false)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String path = "/api/agents/browser/" + id + "/state";

        Api.Response script = put(mia, path, "{\"state\": {\"storage_state\": {\"cookies\": [], \"origins\": []}, "
                + "\"tabs\": [\"javascript:alert(1)\"], \"active_tab\": 0}}");
        assertThat(script.status()).as(script.toString()).isEqualTo(400);
        assertThat(script.json().get("errors").toString()).contains("tabs");
        Api.Response missing = put(mia, path, "{\"state\": {\"tabs\": []}}");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(put(mia, path, "{\"state\": ").status()).isEqualTo(400);
        Map<String, Object> tabNote = Map.of("tab", 1, "origin", site.url(""), "items", List.of(Map.of("name", "k", "value", "v")));
        Map<String, Object> noStorage = Map.of("cookies", List.of(), "origins", List.of());
        Api.Response noSuchTab = put(mia, path, Api.json(Map.of("state", Map.of("storage_state", noStorage,
                "tabs", List.of(site.url("/profile")), "active_tab", 0, "session_storage", List.of(tabNote)))));
        assertThat(noSuchTab.status()).as(noSuchTab.toString()).isEqualTo(400);
        assertThat(noSuchTab.json().get("errors").has("state.session_storage[0].tab")).as(noSuchTab.toString()).isTrue();
        Api.Response otherSite = put(mia, path, Api.json(Map.of("state", Map.of("storage_state", noStorage,
                "tabs", List.of(site.url("/profile"), "https://example.com/"), "active_tab", 0, "session_storage", List.of(tabNote)))));
        assertThat(otherSite.status()).as(otherSite.toString()).isEqualTo(400);
        assertThat(otherSite.json().get("errors").has("state.session_storage[0].origin")).as(otherSite.toString()).isTrue();
        Map<String, Object> origin = Map.of("origin", site.url(""),
                "local_storage", List.of(Map.of("name", "big", "value", "x".repeat(300 * 1024))));
        Map<String, Object> storage = Map.of("cookies", List.of(), "origins", List.of(origin));
        Api.Response big = put(mia, path, Api.json(Map.of("state", Map.of("storage_state", storage, "tabs", List.of(), "active_tab", 0))));
        assertThat(big.status()).as(big.toString()).isEqualTo(413);
        assertThat(big.json().get("type").asString()).isEqualTo("urn:agent-api:problem:state-too-large");
        assertThat(mia.get(path).json().get("state").isNull()).as("nothing stored").isTrue();
        mia.delete("/api/agents/browser/" + id);
    }

    private double overCap() {
        var counter = meters.find("agent_state_saves").tag("outcome", "over_cap").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void create(Api api, String id, Map<String, Object> config) {
        Api.Response created = api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", config, "launch", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private void loginAndOpenProfile(Api api, String id, String user, String secret) {
        Api.Response login = navigate(api, id, site.url("/login?user=" + user + "&secret=" + secret));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        Api.Response profile = navigate(api, id, site.url("/profile"));
        assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
        assertThat(text(api, id, "#who").json().get("text").asString()).isEqualTo("Logged in as " + user);
    }

    /** Waits until the agent hibernated and its state was saved then. */
    private static void awaitHibernatedSaved(Api api, String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode state = api.get("/api/agents/browser/" + id + "/state").json();
            return "hibernated".equals(api.get("/api/agents/browser/" + id).json().get("status").asString())
                    && state.hasNonNull("saved_at") && "hibernated".equals(state.get("save_reason").asString());
        });
    }

    private static Api.Response navigate(Api api, String id, String url) {
        return api.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "navigate", "url", url)));
    }

    private static Api.Response text(Api api, String id, String selector) {
        return api.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "text", "selector", selector)));
    }

    private static Api.Response put(Api api, String path, String body) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }
}
