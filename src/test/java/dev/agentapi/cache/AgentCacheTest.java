package dev.agentapi.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class AgentCacheTest {

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    dev.agentapi.audit.AuditRefusals refusals;
    @LocalManagementPort
    int managementPort;
    @Autowired
    EntityManagerFactory entityManagerFactory;
    Statistics statistics;
    Api alice;

    @BeforeEach
    void setUp() {
        statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        alice = new Api(port, TestKeys.ALICE);
    }

    private long queries() {
        return statistics.getPrepareStatementCount();
    }

    private static String redisValue(String agentId) {
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().get(TestRedis.RUN_PREFIX + "agent:" + agentId);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aSecondReadIssuesNoDatabaseQuery() {
        String id = "cached-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        alice.get("/api/agents/browser/" + id);

        long before = queries();
        Api.Response second = alice.get("/api/agents/browser/" + id);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("agent_id").asString()).isEqualTo(id);
        assertThat(queries() - before).isZero();
        assertThat(redisValue(id)).as("cached in Redis under agent:{id}").startsWith("0|").contains(id);
    }

    @Test
    void anUpdateIsSeenAtOnceAndADeleteEvicts() {
        String id = "evicted-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        alice.get("/api/agents/browser/" + id);

        alice.patch("/api/agents/browser/" + id, "{\"viewport\": {\"width\": 640}}", Map.of());
        assertThat(alice.get("/api/agents/browser/" + id).json().get("viewport").get("width").asInt()).isEqualTo(640);

        assertThat(alice.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(alice.get("/api/agents/browser/" + id).status()).isEqualTo(404);
        assertThat(redisValue(id)).as("a tombstone, so no older copy can come back").isEqualTo("2|");
    }

    /** Whether another owner's agent is in the cache or does not exist at all, a read costs the same queries. */
    @Test
    void anotherOwnersCachedAgentCostsWhatAMissingOneCosts() {
        String id = "leak-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        alice.get("/api/agents/browser/" + id);
        Api bob = new Api(port, TestKeys.BOB);

        long beforeHidden = queries();
        Api.Response hidden = bob.get("/api/agents/browser/" + id);
        long hiddenQueries = queries() - beforeHidden;
        long beforeMissing = queries();
        Api.Response missing = bob.get("/api/agents/browser/missing-" + UUID.randomUUID());
        long missingQueries = queries() - beforeMissing;

        assertThat(hidden.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(hiddenQueries).isEqualTo(missingQueries).isPositive();
        assertThat(hidden.json().get("title").asString()).isEqualTo(missing.json().get("title").asString());

        // the probe of alice's agent is audited (in bob's name), the missing one is not
        refusals.flush();
        JsonNode probes = new Api(port, TestKeys.ADMIN).get("/api/audit?event_type=agent.probed&user_id=key:bob").json().get("entries");
        assertThat(probes.valueStream().map(e -> e.get("resource_id").asString())).contains(id).noneMatch(r -> r.startsWith("missing-"));
        assertThat(probes.valueStream().filter(e -> e.get("resource_id").asString().equals(id)))
                .singleElement().satisfies(e -> assertThat(e.at("/details/count").asLong()).isEqualTo(1));
    }

    @Test
    void aCachedAgentIsStillHiddenFromOtherUsers() {
        String id = "private-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        alice.get("/api/agents/browser/" + id);

        assertThat(new Api(port, TestKeys.BOB).get("/api/agents/browser/" + id).status()).isEqualTo(404);
    }

    /** {@code agent_cache_requests_total{result=...}} as Prometheus scrapes it. */
    private double cacheRequests(String result) {
        String scrape = Api.anonymous(managementPort).get("/actuator/prometheus").body();
        Matcher sample = Pattern.compile("^agent_cache_requests_total\\{[^}]*result=\"" + result + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertThat(sample.find()).as("agent_cache_requests_total{result=\"" + result + "\"} is exported").isTrue();
        return Double.parseDouble(sample.group(1));
    }

    @Test
    void hitsAndMissesAreCounted() {
        String id = "counted-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        double hits = cacheRequests("hit");
        double misses = cacheRequests("miss");

        assertThat(alice.get("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(cacheRequests("miss") - misses).as("the first read misses (a create does not cache)").isEqualTo(1.0);
        assertThat(cacheRequests("hit") - hits).isZero();

        assertThat(alice.get("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(cacheRequests("hit") - hits).as("the second read hits").isEqualTo(1.0);
        assertThat(cacheRequests("miss") - misses).isEqualTo(1.0);
    }

    /**
     * A hit answers with the cached JSON itself, decoded once per cached value: whatever another replica
     * put in Redis since is what the next reads answer (once Redis's invalidation has reached this replica's
     * near copy), never a copy this replica decoded earlier.
     */
    @Test
    void aHitAnswersWhatRedisHoldsNowNotAnEarlierDecodedCopy() {
        String id = "served-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        alice.get("/api/agents/browser/" + id);
        Api.Response hit = alice.get("/api/agents/browser/" + id);
        assertThat(hit.json().get("viewport").get("width").asInt()).isNotEqualTo(777);

        String cached = redisValue(id);
        String elsewhere = "7|" + cached.substring(cached.indexOf('|') + 1)
                .replaceFirst("\"width\":\\d+", "\"width\":777").replaceFirst("\"version\":\\d+", "\"version\":7");
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set(TestRedis.RUN_PREFIX + "agent:" + id, elsewhere);
        } finally {
            client.shutdown();
        }

        // this replica's near copy is dropped when Redis's invalidation arrives (pushed as the SET runs)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Api.Response next = alice.get("/api/agents/browser/" + id);
            assertThat(next.json().get("viewport").get("width").asInt()).isEqualTo(777);
            assertThat(next.header("ETag")).isEqualTo("\"7\"");
        });
    }
}
