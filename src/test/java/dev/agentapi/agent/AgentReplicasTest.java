package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.BrowserProcesses;
import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import dev.agentapi.support.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Three replicas of the service (each a JVM of its own, with real Chromium) on one PostgreSQL and one
 * Redis, with a short lease TTL (6 s: short, yet longer than a heartbeat's stall on a loaded 2-core
 * machine). An agent's browser lives on one replica; whichever replica a request
 * reaches, it runs there, as its caller, and the answer is the same. Then the replicas are hurt: an
 * unreachable holder answers 503 rather than a second browser, a fourth replica's start leaves the
 * others' agents alone, and a SIGKILLed holder's agents relaunch elsewhere once its lease ran out. Like a deployment,
 * the replicas share one AGENT_API_REPLICA_SECRET (made for the run) and reach each other at their replica ports
 * (REPLICA_PORT, a free one each here), advertised at POD_IP.
 */
@ExtendWith({RequiresPostgres.class, RequiresRedis.class, RequiresChromium.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentReplicasTest {

    static final String COLLECTION = "/api/agents/browser";
    static final String AGENTS = COLLECTION + "/";
    static final Duration LEASE = Duration.ofSeconds(6);
    /** The replicas' shared key, as a deployment's Secret would give it. */
    static final String SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();
    static final List<ServiceProcess> replicas = new ArrayList<>();
    static ServiceProcess a;
    static ServiceProcess b;
    static ServiceProcess c;
    static JdbcClient db;
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @BeforeAll
    static void startReplicas() throws Exception {
        db = JdbcClient.create(new DriverManagerDataSource("jdbc:" + TestDatabase.shared()));
        a = start(); // the first one migrates the schema; the others start against it together
        CompletableFuture<ServiceProcess> second = ServiceProcess.inBackground(AgentReplicasTest::start);
        CompletableFuture<ServiceProcess> third = ServiceProcess.inBackground(AgentReplicasTest::start);
        b = second.join();
        c = third.join();
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
    }

    @Test
    @Order(1)
    void createdOnOneActedOnTheOthersDeletedOnTheThirdRunsOneBrowserAndLeavesNone() {
        String id = "replicated-" + UUID.randomUUID();
        Api.Response created = alice(a).post(COLLECTION, Api.json(Map.of("agent_id", id)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("status").asString()).isEqualTo("running");
        Set<Long> browsers = new HashSet<>(mainBrowsers(id));
        assertThat(browsers).as("the browser launched by the create").hasSize(1);
        long browser = browsers.iterator().next();
        assertThat(a.process().descendants().map(ProcessHandle::pid)).as("a child of the replica that created it").contains(browser);

        Api.Response navigated = act(b, id, Map.of("type", "navigate", "url", pages.url("/")));
        assertThat(navigated.status()).as(navigated.toString()).isEqualTo(200);
        assertThat(navigated.json().get("title").asString()).isEqualTo("Home");
        browsers.addAll(mainBrowsers(id));
        Api.Response clicked = act(c, id, Map.of("type", "click", "selector", "#go"));
        assertThat(clicked.status()).as(clicked.toString()).isEqualTo(200);
        Api.Response text = act(b, id, Map.of("type", "text", "selector", "#h"));
        assertThat(text.json().get("text").asString()).as("the click on C happened in the browser B reads").isEqualTo("Clicked");
        browsers.addAll(mainBrowsers(id));

        // a raw screenshot through a replica that does not hold the browser: the same media type and bytes as PNG
        Api.Response png = alice(c).send(HttpRequest.newBuilder(alice(c).uri(AGENTS + id + "/actions"))
                .header("Content-Type", "application/json").header("Accept", "image/png")
                .POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("type", "screenshot")))));
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.header("Content-Type")).isEqualTo("image/png");

        // a failure answers the same wherever it arrives
        Map<String, Object> missing = Map.of("type", "click", "selector", "#nothing-here", "timeout_ms", 300);
        Api.Response onHolder = act(a, id, missing);
        Api.Response forwarded = act(b, id, missing);
        assertThat(forwarded.status()).isEqualTo(onHolder.status()).isEqualTo(422);
        assertThat(forwarded.header("Content-Type")).isEqualTo(onHolder.header("Content-Type"));
        for (String field : List.of("type", "title", "status")) {
            assertThat(forwarded.json().get(field)).as(field).isEqualTo(onHolder.json().get(field));
        }
        assertThat(forwarded.json().has("instance") ? forwarded.json().get("instance").asString() : "")
                .as("no internal route shows").doesNotContain("internal");

        // another user's request is refused as it would be on the holder
        Api.Response bobs = new Api(b.port(), TestKeys.BOB).post(AGENTS + id + "/actions", Api.json(Map.of("type", "content")));
        assertThat(bobs.status()).isEqualTo(404);

        browsers.addAll(mainBrowsers(id));
        assertThat(browsers).as("browser processes of the agent, ever").containsExactly(browser);
        assertThat(db.sql("SELECT DISTINCT user_id FROM audit_logs WHERE resource_id = :id AND event_type = 'agent.action'")
                .param("id", id).query(String.class).list()).as("actions are audited as their caller").containsExactly("key:alice");
        assertThat(db.sql("SELECT count(*) FROM audit_logs WHERE resource_id = :id AND event_type = 'agent.action' AND success")
                .param("id", id).query(Long.class).single()).as("each forwarded action audited once").isEqualTo(4);

        Api.Response deleted = alice(c).delete(AGENTS + id);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().get("agent_id").asString()).isEqualTo(id);
        assertThat(BrowserProcesses.awaitGone(id)).as("browser processes left after the delete").isEmpty();
        assertThat(alice(a).get(AGENTS + id).status()).isEqualTo(404);
        assertThat(db.sql("SELECT count(*) FROM agent_leases WHERE agent_id = :id").param("id", id).query(Long.class).single()).isZero();
    }

    @Test
    @Order(2)
    void mcpToolCallsAndQueuedBrowserTasksOnAnyReplicaRunInTheHoldersBrowser() {
        String id = "mcp-" + UUID.randomUUID();
        assertThat(alice(a).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        List<Long> browser = mainBrowsers(id);
        assertThat(browser).hasSize(1);

        // MCP tool calls arriving at replicas that do not hold the browser
        Api.Response navigated = mcp(c, "navigate", Map.of("agent_id", id, "url", pages.url("/")));
        assertThat(navigated.json().at("/result/isError").asBoolean()).as(navigated.body()).isFalse();
        Api.Response clicked = mcp(b, "click", Map.of("agent_id", id, "selector", "#go"));
        assertThat(clicked.json().at("/result/isError").asBoolean()).as(clicked.body()).isFalse();
        Api.Response text = act(a, id, Map.of("type", "text", "selector", "#h"));
        assertThat(text.json().get("text").asString()).as("the clicks over MCP on C and B happened in A's browser").isEqualTo("Clicked");

        // a queued browser.actions task, sent to C: whichever replica's worker claims it, the steps run in A's browser
        Api.Response queued = alice(c).post("/api/agents/mcp/tasks", Api.json(Map.of("title", "read", "task_type", "browser.actions",
                "payload", Map.of("agent_id", id, "actions", List.of(Map.of("type", "text", "selector", "#h"))))));
        assertThat(queued.status()).as(queued.body()).isEqualTo(201);
        String task = queued.json().get("task").get("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> alice(b).get("/api/agents/mcp/tasks/" + task).json().get("task"),
                        t -> List.of("completed", "failed").contains(t.get("status").asString()));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        assertThat(done.at("/result/steps/0/text").asString()).isEqualTo("Clicked");

        assertThat(mainBrowsers(id)).as("still the one browser, A's").isEqualTo(browser);
        assertThat(db.sql("SELECT DISTINCT user_id FROM audit_logs WHERE resource_id = :id AND event_type = 'agent.action'")
                .param("id", id).query(String.class).list()).as("audited as their caller").containsExactly("key:alice");
        assertThat(alice(b).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(3)
    void readinessNamesTheReplicaAndTheLeasesItHolds() {
        String id = "ready-" + UUID.randomUUID();
        assertThat(alice(b).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);

        JsonNode replica = new Api(b.port(), TestKeys.ADMIN).get("/api/agents/health/ready").json().get("components").get("replica");
        assertThat(replica.get("status").asString()).isEqualTo("healthy");
        assertThat(replica.get("id").asString()).contains("/" + b.process().pid() + "/");
        int replicaPort = replicaPort(b);
        assertThat(replicaPort).as("the replica routes' own port, not the clients'").isNotEqualTo(b.port());
        assertThat(replica.get("advertised_url").asString()).isEqualTo("http://127.0.0.1:" + replicaPort);
        assertThat(replica.get("leases_held").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(db.sql("SELECT replica_url FROM agent_leases WHERE agent_id = :id").param("id", id).query(String.class).single())
                .isEqualTo("http://127.0.0.1:" + replicaPort);

        assertThat(alice(a).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(4)
    void aRequestWithoutAValidReplicaSignatureIsRefusedAndAForgedHopMarkerChangesNothing() throws Exception {
        String id = "signed-" + UUID.randomUUID();
        assertThat(alice(a).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        String path = "/internal/replica/agents/" + id + "/actions";
        String body = Api.json(Map.of("type", "navigate", "url", pages.url("/")));

        // on the clients' port the route does not exist, even for a correctly signed request
        Api.Response onMainPort = Api.anonymous(a.port()).send(withHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                + path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)),
                signed("POST", path, body, replicaId(a), actor("key:alice", false), secret())));
        assertThat(onMainPort.status()).as(onMainPort.toString()).isEqualTo(404);

        // on the replica port: no signature, a client's own credentials, a wrong secret, a replay: all 401, nothing runs
        assertThat(internal(a, path, body, Map.of()).status()).isEqualTo(401);
        assertThat(internal(a, path, body, Map.of("Authorization", "Bearer " + TestKeys.ALICE)).status()).isEqualTo(401);
        String admin = actor("key:admin", true);
        assertThat(internal(a, path, body, signed("POST", path, body, replicaId(a), admin, "not-the-secret-".repeat(3))).status())
                .isEqualTo(401);
        assertThat(internal(a, path, body, signed("POST", path, body, replicaId(b), actor("key:alice", false), secret())).status())
                .as("a request signed for another replica").isEqualTo(401);
        Map<String, String> good = signed("POST", path, body, replicaId(a), actor("key:alice", false), secret());
        Map<String, String> tampered = new java.util.HashMap<>(good);
        tampered.put("X-Agent-Api-Replica-Actor", admin);
        assertThat(internal(a, path, body, tampered).status()).as("the actor is signed").isEqualTo(401);
        assertThat(internal(a, path, body, good).status()).as("a correctly signed request").isEqualTo(200);
        assertThat(internal(a, path, body, good).status()).as("the same request again").isEqualTo(401);
        // the six refusals are audited, with the address they came from
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(db.sql("SELECT coalesce(sum((details->>'count')::int), 0) "
                + "FROM audit_logs WHERE event_type = 'replica.bad_signature' AND resource_id = :r AND ip_address = '127.0.0.1'")
                .param("r", "POST " + path).query(Integer.class).single()).isEqualTo(6));

        // a client that sends the replica headers to the public route is still forwarded, once, to the holder
        Api.Response forged = alice(b).send(HttpRequest.newBuilder(alice(b).uri(AGENTS + id + "/actions"))
                .header("Content-Type", "application/json")
                .header("X-Agent-Api-Replica-From", "somebody").header("X-Agent-Api-Replica-Signature", "x")
                .POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("type", "content")))));
        assertThat(forged.status()).as(forged.toString()).isEqualTo(200);
        assertThat(mainBrowsers(id)).hasSize(1);

        assertThat(alice(a).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(5)
    void aForwardedRequestReachingAReplicaThatDoesNotHoldTheAgentIsNeverForwardedAgain() throws Exception {
        String id = "hop-" + UUID.randomUUID();
        assertThat(alice(a).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        long actionsBefore = actions(id);
        String path = "/internal/replica/agents/" + id + "/actions";
        String body = Api.json(Map.of("type", "content"));

        // as if A had forwarded to B: B does not hold the agent, A does; B answers 503 and sends nothing on
        Api.Response secondHop = internal(b, path, body, signed("POST", path, body, replicaId(b), actor("key:alice", false), secret()));
        assertThat(secondHop.status()).as(secondHop.toString()).isEqualTo(503);
        assertThat(secondHop.header("Retry-After")).isNotNull();
        assertThat(actions(id)).as("the holder never saw it").isEqualTo(actionsBefore);
        assertThat(mainBrowsers(id)).as("no second browser on B").hasSize(1);

        assertThat(alice(c).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(6)
    void anUnreachableHolderWithALiveLeaseAnswers503AndNoSecondBrowserStarts() {
        String id = "unreachable-" + UUID.randomUUID();
        assertThat(alice(b).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        // the lease now names a replica nobody can reach, for longer than the test runs
        db.sql("UPDATE agent_leases SET replica_id = 'gone/1/x', replica_url = 'http://127.0.0.1:1', "
                + "expires_at = now() + interval '10 minutes' WHERE agent_id = :id").param("id", id).update();
        assertThat(BrowserProcesses.awaitGone(id)).as("B closes the browser whose lease it lost").isEmpty();

        for (ServiceProcess replica : List.of(a, b, c)) {
            Api.Response refused = act(replica, id, Map.of("type", "content"));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:agent-api:problem:agent-unavailable");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            Api.Response deleteRefused = alice(replica).delete(AGENTS + id);
            assertThat(deleteRefused.status()).isEqualTo(503);
        }
        assertThat(mainBrowsers(id)).as("no browser launched while another replica's lease is live").isEmpty();

        db.sql("UPDATE agent_leases SET expires_at = now() - interval '1 second' WHERE agent_id = :id").param("id", id).update();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(id)).isEqualTo("stopped/owner_lost"));
        assertThat(act(c, id, Map.of("type", "content")).status()).as("relaunched where it arrived").isEqualTo(200);
        assertThat(c.process().descendants().map(ProcessHandle::pid)).containsAll(mainBrowsers(id));
        assertThat(alice(a).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(7)
    void aFourthReplicaStartingLeavesTheOthersAgentsRunning() throws Exception {
        String onA = "kept-" + UUID.randomUUID();
        String onB = "kept-" + UUID.randomUUID();
        assertThat(alice(a).post(COLLECTION, Api.json(Map.of("agent_id", onA))).status()).isEqualTo(201);
        assertThat(alice(b).post(COLLECTION, Api.json(Map.of("agent_id", onB))).status()).isEqualTo(201);
        List<Long> browsersBefore = new ArrayList<>(mainBrowsers(onA));
        browsersBefore.addAll(mainBrowsers(onB));

        ServiceProcess d = start();
        await().atMost(Duration.ofMinutes(2)).until(() -> Api.anonymous(d.port()).get("/health/ready").status() == 200);
        assertThat(status(onA)).isEqualTo("running/");
        assertThat(status(onB)).isEqualTo("running/");
        assertThat(act(d, onA, Map.of("type", "content")).status()).isEqualTo(200);
        assertThat(act(d, onB, Map.of("type", "content")).status()).isEqualTo(200);
        List<Long> browsersAfter = new ArrayList<>(mainBrowsers(onA));
        browsersAfter.addAll(mainBrowsers(onB));
        assertThat(browsersAfter).as("the same browsers, none on D").isEqualTo(browsersBefore);

        fourth = d; // shut down in the next test, with an agent of its own
        // the two agents stay for the kill below
        killed.addAll(List.of(onA, onB));
    }

    static ServiceProcess fourth;
    static final List<String> killed = new ArrayList<>();

    @Test
    @Order(8)
    void aReplicaShuttingDownHandsItsAgentsBackAndTheirNextActionRelaunchesAtOnce() throws Exception {
        ServiceProcess d = fourth != null ? fourth : start();
        String id = "handed-back-" + UUID.randomUUID();
        assertThat(alice(d).post(COLLECTION, Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        List<Long> onD = mainBrowsers(id);
        assertThat(onD).hasSize(1);
        assertThat(d.process().descendants().map(ProcessHandle::pid)).containsAll(onD);

        assertThat(d.terminate(Duration.ofSeconds(60))).as("graceful shutdown (SIGTERM) finished").isTrue();
        replicas.remove(d);
        fourth = null;

        assertThat(status(id)).as("handed back on shutdown, not left for the lease to run out").isEqualTo("stopped/service_restart");
        assertThat(db.sql("SELECT count(*) FROM agent_leases WHERE agent_id = :id").param("id", id).query(Long.class).single())
                .as("lease released").isZero();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> onD.stream().noneMatch(AgentReplicasTest::alive));
        } catch (org.awaitility.core.ConditionTimeoutException stillAlive) {
            // asserted below, naming them
        }
        assertThat(onD.stream().filter(AgentReplicasTest::alive).toList()).as("its browser closed with it").isEmpty();
        // well inside the lease TTL: a lease left behind would answer 503 here until it expired
        Api.Response next = act(b, id, Map.of("type", "navigate", "url", pages.url("/")));
        assertThat(next.status()).as("the first action after the shutdown relaunches on B: %s", next.body()).isEqualTo(200);
        List<Long> onB = mainBrowsers(id);
        assertThat(onB).hasSize(1);
        assertThat(b.process().descendants().map(ProcessHandle::pid)).containsAll(onB);
        assertThat(alice(c).delete(AGENTS + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    @Order(9)
    void agentsOfASigkilledReplicaRelaunchElsewhereAfterTheirLeaseWithNoOrphanBrowser() throws Exception {
        String onA = killed.isEmpty() ? null : killed.get(0);
        if (onA == null) {
            onA = "killed-" + UUID.randomUUID();
            assertThat(alice(a).post(COLLECTION, Api.json(Map.of("agent_id", onA))).status()).isEqualTo(201);
        }
        String agent = onA;
        assertThat(act(b, agent, Map.of("type", "navigate", "url", pages.url("/"))).status()).isEqualTo(200);
        List<Long> before = mainBrowsers(agent);
        assertThat(before).hasSize(1);

        a.process().destroyForcibly().waitFor();
        replicas.remove(a);
        Instant killedAt = Instant.now();

        List<Integer> answers = new ArrayList<>();
        await().atMost(LEASE.multipliedBy(10)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Api.Response answer = act(b, agent, Map.of("type", "navigate", "url", pages.url("/")));
            answers.add(answer.status());
            if (answer.status() == 503) {
                assertThat(answer.header("Retry-After")).isNotNull();
            }
            return answer.status() == 200;
        });
        Duration failover = Duration.between(killedAt, Instant.now());
        System.out.printf("failover after SIGKILL: %d ms, answers meanwhile %s%n", failover.toMillis(), answers);
        assertThat(answers.subList(0, answers.size() - 1)).as("while the lease lived: retry later, nothing else").allMatch(s -> s == 503);
        assertThat(db.sql("SELECT count(*) FROM audit_logs WHERE resource_id = :id AND event_type = 'agent.owner_lost'")
                .param("id", agent).query(Long.class).single()).isEqualTo(1);

        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> before.stream().noneMatch(AgentReplicasTest::alive));
        } catch (org.awaitility.core.ConditionTimeoutException stillAlive) {
            // asserted below, naming them
        }
        assertThat(before.stream().filter(AgentReplicasTest::alive).toList())
                .as("the killed replica's browser is gone with it").isEmpty();
        List<Long> now = mainBrowsers(agent);
        assertThat(now).hasSize(1);
        assertThat(b.process().descendants().map(ProcessHandle::pid)).containsAll(now);

        assertThat(alice(c).delete(AGENTS + agent).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(agent)).isEmpty();
        for (String other : killed.subList(Math.min(1, killed.size()), killed.size())) {
            assertThat(alice(c).delete(AGENTS + other).status()).isIn(200, 503);
        }
    }

    // --- helpers ---

    static Api alice(ServiceProcess replica) {
        return new Api(replica.port(), TestKeys.ALICE);
    }

    static Api.Response act(ServiceProcess replica, String id, Map<String, Object> action) {
        return alice(replica).post(AGENTS + id + "/actions", Api.json(action));
    }

    /** One MCP tool call (stateless Streamable HTTP: no session needed), answered as JSON. */
    static Api.Response mcp(ServiceProcess replica, String tool, Map<String, Object> arguments) {
        Api api = alice(replica);
        String body = Api.json(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments)));
        return api.send(HttpRequest.newBuilder(api.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The agent's Chromium browser processes (not their children, which carry the marker too if at all). */
    static List<Long> mainBrowsers(String id) {
        List<ProcessHandle> marked = BrowserProcesses.of(id).stream().filter(ProcessHandle::isAlive).toList();
        Set<Long> pids = marked.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        return marked.stream().filter(p -> p.parent().map(parent -> !pids.contains(parent.pid())).orElse(true))
                .filter(BrowserProcesses::isBrowserMain).map(ProcessHandle::pid).sorted().toList();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static String status(String id) {
        return db.sql("SELECT status || '/' || coalesce(status_reason, '') FROM browser_agents WHERE id = :id")
                .param("id", id).query(String.class).single();
    }

    static long actions(String id) {
        return db.sql("SELECT total_actions FROM browser_agents WHERE id = :id").param("id", id).query(Long.class).single();
    }

    /** A POST to the replica's replica port, with {@code headers}. */
    static Api.Response internal(ServiceProcess replica, String path, String body, Map<String, String> headers) {
        int port = replicaPort(replica);
        return Api.anonymous(port).send(withHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), headers));
    }

    static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        return request;
    }

    static String secret() {
        return SECRET;
    }

    /** The port a replica serves the replica routes on, from the address it advertises (its readiness report, to an admin). */
    static int replicaPort(ServiceProcess replica) {
        String advertised = new Api(replica.port(), TestKeys.ADMIN).get("/api/agents/health/ready").json()
                .at("/components/replica/advertised_url").asString();
        return URI.create(advertised).getPort();
    }

    static String actor(String user, boolean admin) {
        String json = Api.json(Map.of("user_id", user, "admin", admin));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs as a replica does, for replica {@code to} (the format is the replicas' contract: v2, method, path, time, nonce,
     * from, to, actor, body hash).
     */
    static Map<String, String> signed(String method, String path, String body, String to, String actor, String secret) throws Exception {
        String time = String.valueOf(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString();
        String hash = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        String canonical = String.join("\n", "v2", method, path, time, nonce, "test", to, actor, hash);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        return Map.of("X-Agent-Api-Replica-Time", time, "X-Agent-Api-Replica-Nonce", nonce, "X-Agent-Api-Replica-From", "test",
                "X-Agent-Api-Replica-To", to, "X-Agent-Api-Replica-Actor", actor, "X-Agent-Api-Replica-Content-SHA256", hash,
                "X-Agent-Api-Replica-Signature", signature);
    }

    /** A replica's id, as its readiness report shows it to an admin. */
    static String replicaId(ServiceProcess replica) {
        return new Api(replica.port(), TestKeys.ADMIN).get("/api/agents/health/ready").json().at("/components/replica/id").asString();
    }

    static ServiceProcess start() throws Exception {
        Path dir = Files.createTempDirectory("agent-replica");
        ServiceProcess replica = ServiceProcess.start(dir, Map.of("AGENT_API_REPLICA_SECRET", SECRET, "POD_IP", "127.0.0.1"),
                "--agent-api.browser.executable-path=" + RequiresChromium.EXECUTABLE,
                "--agent-api.browser.warm-pool=0",
                "--agent-api.browser.launch-on-create=true",
                "--agent-api.browser.navigation.block-private-networks=false",
                "--agent-api.redis.url=" + TestRedis.URL,
                "--agent-api.rate-limit.key-prefix=" + TestRedis.RUN_PREFIX + "replicas:",
                "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute",
                "--agent-api.replica.lease-ttl=" + LEASE.toSeconds() + "s",
                "--agent-api.replica.reap-interval=500ms",
                "--agent-api.health.drain-delay=0s",
                "--agent-api.audit.refusal-window=1s",
                "--spring.datasource.hikari.connection-timeout=30000");
        synchronized (replicas) {
            replicas.add(replica);
        }
        return replica.awaitUp(Duration.ofMinutes(5));
    }
}
