package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The default create policy, and a short one on agent lists, with Redis buckets. */
@RateLimitIntegrationTest
class RateLimitTest {

    static final String PREFIX = RateLimitIntegrationTest.Limits.PREFIX;

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    dev.agentapi.audit.AuditRefusals refusals;

    @Test
    void tenCreatesPassCountingDownThenTheEleventhIs429() {
        Api alice = new Api(port, TestKeys.ALICE);
        for (int i = 9; i >= 0; i--) {
            Api.Response created = alice.post("/api/agents/browser", "{}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("X-RateLimit-Limit")).isEqualTo("10");
            assertThat(created.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(i));
            assertThat(Long.parseLong(created.header("X-RateLimit-Reset"))).isGreaterThanOrEqualTo(Instant.now().getEpochSecond());
        }

        Api.Response refused = alice.post("/api/agents/browser", "{}");

        assertThat(refused.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        JsonNode body = refused.json();
        assertThat(body.get("error").asString()).isEqualTo("Rate limit exceeded");
        assertThat(body.get("message").asString()).isEqualTo("Too many requests. Please try again in " + retryAfter + " seconds.");
        assertThat(body.get("retry_after").asLong()).isEqualTo(retryAfter);
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");

        // another principal has a bucket of its own
        assertThat(new Api(port, TestKeys.BOB).post("/api/agents/browser", "{}").status()).isEqualTo(201);
        // and the refusal is in the audit trail, aggregated per caller, policy and window
        refusals.flush();
        JsonNode audited = new Api(port, TestKeys.ADMIN).get("/api/audit?event_type=rate_limit.refused&user_id=key:alice").json();
        assertThat(audited.get("entries").valueStream().filter(e -> e.get("resource_id").asString().equals("POST /api/agents/browser")))
                .hasSize(1).allSatisfy(e -> assertThat(e.at("/details/count").asLong()).isEqualTo(1));
        // the bucket lives in Redis
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            assertThat(redis.sync().keys(PREFIX + "POST /api/agents/browser:user:key:alice")).hasSize(1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void requestsPassAgainAfterTheRefillInterval() throws InterruptedException {
        Api admin = new Api(port, TestKeys.ADMIN);
        boolean limited = false;
        for (int i = 0; i < 20 && !limited; i++) {
            limited = admin.get("/api/agents/browser").status() == 429;
        }
        assertThat(limited).as("a burst beyond 3 is refused").isTrue();

        Thread.sleep(2_100);

        Api.Response again = admin.get("/api/agents/browser");
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void failedAuthenticationSpendsFromTheClientAddressBucket() {
        Api guesser = new Api(port, "not-a-key-" + UUID.randomUUID());
        Api.Response first = guesser.get("/api/agents/browser");
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("3");

        Api.Response refused = first;
        for (int i = 0; i < 20 && refused.status() != 429; i++) {
            refused = (i % 2 == 0 ? Api.anonymous(port) : guesser).get("/api/agents/browser");
        }
        assertThat(refused.status()).as("guessing keys is limited by client address").isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        assertThat(refused.header("WWW-Authenticate")).isNull();
        assertThat(refused.json().get("error").asString()).isEqualTo("Rate limit exceeded");
    }

    @Test
    void forbiddenRequestsSpendFromTheCallersBucket() {
        Api bob = new Api(port, TestKeys.BOB);
        Api.Response first = bob.get("/api/audit");
        Api.Response second = bob.get("/api/audit");

        assertThat(first.status()).isEqualTo(403);
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("1000");
        assertThat(Long.parseLong(second.header("X-RateLimit-Remaining")))
                .isEqualTo(Long.parseLong(first.header("X-RateLimit-Remaining")) - 1);
    }

    @Test
    void probesAndDocsAreNeverLimited() {
        Api anonymous = Api.anonymous(port);
        for (int i = 0; i < 30; i++) {
            assertThat(anonymous.get("/health/live").header("X-RateLimit-Limit")).isNull();
        }
        assertThat(anonymous.get("/v3/api-docs").header("X-RateLimit-Limit")).isNull();
        assertThat(anonymous.get("/api/agents/health").header("X-RateLimit-Limit")).isNull();
    }
}
