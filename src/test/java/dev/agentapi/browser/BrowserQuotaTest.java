package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** BROWSER_MAX_PER_OWNER: one owner cannot hold every browser; beyond the quota a launch answers 429. */
class BrowserQuotaTest {

    static void quotaOfOne(DynamicPropertyRegistry registry, boolean launchOnCreate) {
        String database = TestDatabase.create(); // its own: the quota counts every agent of an owner
        registry.add("agent-api.database.url", () -> database);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.executable-path", () -> RequiresChromium.EXECUTABLE);
        registry.add("agent-api.browser.launch-on-create", () -> String.valueOf(launchOnCreate));
        registry.add("agent-api.browser.max-browsers", () -> "3");
        registry.add("agent-api.browser.max-per-owner", () -> "1");
        // the quota is under test, not the rate limits (20 creates at once would meet "10 per minute")
        registry.add("agent-api.rate-limit.policies", () -> "* /api/**: 1000000 per minute");
    }

    static String newId() {
        return "quota-" + UUID.randomUUID();
    }

    static Api.Response create(Api caller, String id) {
        return caller.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
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

    @Nested
    @ExtendWith({RequiresPostgres.class, RequiresChromium.class})
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @DirtiesContext // its own database and context, closed after use to free connections and browsers
    class OnCreate {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            quotaOfOne(registry, true);
        }

        @LocalServerPort
        int port;
        @Autowired
        JdbcTemplate jdbc;

        @Test
        void twentyCreatesOfOneOwnerAtTheSameInstantLaunchNoMoreThanTheQuota() throws Exception {
            Api alice = new Api(port, TestKeys.ALICE);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(newId());
            }
            try {
                List<Api.Response> answers = atOnce(20, i -> create(alice, ids.get(i)));

                List<Api.Response> created = answers.stream().filter(r -> r.status() == 201).toList();
                assertThat(created).as("creates that got a browser").hasSize(1);
                assertThat(created.get(0).json().get("status").asString()).isEqualTo("running");
                answers.stream().filter(r -> r.status() != 201).forEach(BrowserQuotaTest::assertQuotaExceeded);
                assertThat(holding(jdbc, "key:alice")).as("alice's agents holding a browser").isEqualTo(1);
            } finally {
                ids.forEach(id -> alice.delete("/api/agents/browser/" + id));
            }
        }

        @Test
        void aSecondBrowserOfOneOwnerIsRefusedAndNothingIsStored() {
            Api alice = new Api(port, TestKeys.ALICE);
            Api bob = new Api(port, TestKeys.BOB);
            String first = newId();
            String second = newId();
            String bobs = newId();
            try {
                assertThat(create(alice, first).json().get("status").asString()).isEqualTo("running");

                assertQuotaExceeded(create(alice, second));
                assertThat(alice.get("/api/agents/browser/" + second).status()).as("nothing stored").isEqualTo(404);
                assertThat(create(bob, bobs).json().get("status").asString()).as("another owner is not affected").isEqualTo("running");

                assertThat(alice.delete("/api/agents/browser/" + first).status()).isEqualTo(200);
                assertThat(create(alice, second).json().get("status").asString()).as("a deleted agent frees its place").isEqualTo("running");
            } finally {
                alice.delete("/api/agents/browser/" + first);
                alice.delete("/api/agents/browser/" + second);
                bob.delete("/api/agents/browser/" + bobs);
            }
        }
    }

    @Nested
    @ExtendWith({RequiresPostgres.class, RequiresChromium.class})
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @DirtiesContext // its own database and context, closed after use to free connections and browsers
    class OnRelaunch {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            quotaOfOne(registry, false);
        }

        @LocalServerPort
        int port;
        @Autowired
        JdbcTemplate jdbc;

        @Test
        void twentyActionsThatWouldEachLaunchABrowserAtTheSameInstantLaunchNoMoreThanTheQuota() throws Exception {
            Api alice = new Api(port, TestKeys.ALICE);
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    ids.add(newId());
                    assertThat(create(alice, ids.get(i)).status()).as("stored without a browser").isEqualTo(201);
                }
                String content = Api.json(Map.of("type", "content"));

                List<Api.Response> answers = atOnce(20, i -> alice.post("/api/agents/browser/" + ids.get(i) + "/actions", content));

                assertThat(answers.stream().filter(r -> r.status() == 200)).as("actions that got a browser").hasSize(1);
                answers.stream().filter(r -> r.status() != 200).forEach(BrowserQuotaTest::assertQuotaExceeded);
                assertThat(holding(jdbc, "key:alice")).as("alice's agents holding a browser").isEqualTo(1);
            } finally {
                ids.forEach(id -> alice.delete("/api/agents/browser/" + id));
            }
        }

        @Test
        void anActionThatWouldLaunchASecondBrowserIsRefused() {
            Api alice = new Api(port, TestKeys.ALICE);
            String first = newId();
            String second = newId();
            try {
                assertThat(create(alice, first).status()).isEqualTo(201);
                assertThat(create(alice, second).status()).as("stored without a browser").isEqualTo(201);
                Map<String, String> content = Map.of("type", "content");

                assertThat(alice.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status()).isEqualTo(200);
                assertQuotaExceeded(alice.post("/api/agents/browser/" + second + "/actions", Api.json(content)));
                assertThat(alice.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status())
                        .as("the browser already held keeps working").isEqualTo(200);
            } finally {
                alice.delete("/api/agents/browser/" + first);
                alice.delete("/api/agents/browser/" + second);
            }
        }
    }
}
