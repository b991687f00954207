package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * BROWSER_MAX_PER_OWNER: one owner cannot hold every browser; beyond the quota a launch answers 429. In the plain
 * context, whose settings give 3 browsers and 1 per owner (no other class there launches a browser); the owners
 * counted here, heidi and ivan, have no agents anywhere else, so their counts are this class's alone. Creates launch
 * on create when they say {@code "launch": true}, and on their first action when they say {@code false}.
 */
@IntegrationTest
@ExtendWith(RequiresChromium.class)
class BrowserQuotaTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    static String newId() {
        return "quota-" + UUID.randomUUID();
    }

    static Api.Response create(Api caller, String id, boolean launch) {
        return caller.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "launch", launch)));
    }

    /** Sends {@code count} requests at the same instant, one thread each; their answers in order. */
    static List<Api.Response> atOnce(int count, Function<Integer, Api.Response> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(threads.submit(() -> {
                    go.await();
                    return request.apply(n);
                }));
            }
            go.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> answer : answers) {
                responses.add(answer.get(120, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Agents of {@code owner} that hold a browser place: starting or running. */
    static long holding(JdbcTemplate jdbc, String owner) {
        return jdbc.queryForObject("SELECT count(*) FROM browser_agents WHERE created_by = ? AND deleted_at IS NULL "
                + "AND status IN ('starting', 'running')", Long.class, owner);
    }

    static void assertQuotaExceeded(Api.Response refused) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotBlank();
        JsonNode body = refused.json();
        assertThat(body.get("error").asString()).isEqualTo("Browser quota exceeded");
        assertThat(body.get("message").asString()).contains("BROWSER_MAX_PER_OWNER=1");
        assertThat(body.get("retry_after").asLong()).isPositive();
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(body.get("title").asString()).isEqualTo("Too Many Requests");
    }

    // launched on create

    @Test
    void twentyCreatesOfOneOwnerAtTheSameInstantLaunchNoMoreThanTheQuota() throws Exception {
        Api heidi = new Api(port, TestKeys.HEIDI);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(newId());
        }
        try {
            List<Api.Response> answers = atOnce(20, i -> create(heidi, ids.get(i), true));

            List<Api.Response> created = answers.stream().filter(r -> r.status() == 201).toList();
            assertThat(created).as("creates that got a browser").hasSize(1);
            assertThat(created.get(0).json().get("status").asString()).isEqualTo("running");
            answers.stream().filter(r -> r.status() != 201).forEach(BrowserQuotaTest::assertQuotaExceeded);
            assertThat(holding(jdbc, "key:heidi")).as("heidi's agents holding a browser").isEqualTo(1);
        } finally {
            ids.forEach(id -> heidi.delete("/api/agents/browser/" + id));
        }
    }

    @Test
    void aSecondBrowserOfOneOwnerIsRefusedAndNothingIsStored() {
        Api heidi = new Api(port, TestKeys.HEIDI);
        Api ivan = new Api(port, TestKeys.IVAN);
        String first = newId();
        String second = newId();
        String ivans = newId();
        try {
            assertThat(create(heidi, first, true).json().get("status").asString()).isEqualTo("running");

            assertQuotaExceeded(create(heidi, second, true));
            assertThat(heidi.get("/api/agents/browser/" + second).status()).as("nothing stored").isEqualTo(404);
            assertThat(create(ivan, ivans, true).json().get("status").asString()).as("another owner is not affected").isEqualTo("running");

            assertThat(heidi.delete("/api/agents/browser/" + first).status()).isEqualTo(200);
            assertThat(create(heidi, second, true).json().get("status").asString()).as("a deleted agent frees its place").isEqualTo("running");
        } finally {
            heidi.delete("/api/agents/browser/" + first);
            heidi.delete("/api/agents/browser/" + second);
            ivan.delete("/api/agents/browser/" + ivans);
        }
    }

    // launched on the first action

    @Test
    void twentyActionsThatWouldEachLaunchABrowserAtTheSameInstantLaunchNoMoreThanTheQuota() throws Exception {
        Api heidi = new Api(port, TestKeys.HEIDI);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                ids.add(newId());
                assertThat(create(heidi, ids.get(i), false).status()).as("stored without a browser").isEqualTo(201);
            }
            String content = Api.json(Map.of("type", "content"));

            List<Api.Response> answers = atOnce(20, i -> heidi.post("/api/agents/browser/" + ids.get(i) + "/actions", content));

            assertThat(answers.stream().filter(r -> r.status() == 200)).as("actions that got a browser").hasSize(1);
            answers.stream().filter(r -> r.status() != 200).forEach(BrowserQuotaTest::assertQuotaExceeded);
            assertThat(holding(jdbc, "key:heidi")).as("heidi's agents holding a browser").isEqualTo(1);
        } finally {
            ids.forEach(id -> heidi.delete("/api/agents/browser/" + id));
        }
    }

    @Test
    void anActionThatWouldLaunchASecondBrowserIsRefused() {
        Api heidi = new Api(port, TestKeys.HEIDI);
        String first = newId();
        String second = newId();
        try {
            assertThat(create(heidi, first, false).status()).isEqualTo(201);
            assertThat(create(heidi, second, false).status()).as("stored without a browser").isEqualTo(201);
            Map<String, String> content = Map.of("type", "content");

            assertThat(heidi.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status()).isEqualTo(200);
            assertQuotaExceeded(heidi.post("/api/agents/browser/" + second + "/actions", Api.json(content)));
            assertThat(heidi.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status())
                    .as("the browser already held keeps working").isEqualTo(200);
        } finally {
            heidi.delete("/api/agents/browser/" + first);
            heidi.delete("/api/agents/browser/" + second);
        }
    }
}
