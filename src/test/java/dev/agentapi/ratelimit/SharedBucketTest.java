package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Two replicas sharing one Redis draw from one bucket. */
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
class SharedBucketTest {

    private static ConfigurableApplicationContext replica(String prefix, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--agent-api.database.url=" + TestDatabase.shared(),
                "--agent-api.security.api-keys=" + TestKeys.property(),
                "--agent-api.redis.url=" + TestRedis.URL,
                "--agent-api.cache.key-prefix=" + prefix + "agent:",
                "--agent-api.rate-limit.key-prefix=" + prefix,
                // a command answered later than the default 250 ms (a loaded machine: seen with two test JVMs beside
                // other builds) hands the buckets to the local fallback, which admits on its own (RedisOutageTest's
                // subject); here every request is to count in the one shared bucket
                "--spring.data.redis.timeout=5s"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(AgentApiApplication.class).run(args.toArray(String[]::new));
    }

    private static String newPrefix() {
        return TestRedis.RUN_PREFIX + "shared-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort(), TestKeys.ALICE);
    }

    @Test
    void sixCreatesOnOneAndFiveOnTheOtherMakeTheEleventhA429() {
        String prefix = newPrefix();
        try (ConfigurableApplicationContext first = replica(prefix); ConfigurableApplicationContext second = replica(prefix)) {
            Api one = api(first);
            Api two = api(second);
            for (int i = 0; i < 6; i++) {
                assertThat(one.post("/api/agents/browser", "{}").status()).isEqualTo(201);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(two.post("/api/agents/browser", "{}").status()).isEqualTo(201);
            }
            Api.Response eleventh = two.post("/api/agents/browser", "{}");
            assertThat(eleventh.status()).isEqualTo(429);
            assertThat(one.post("/api/agents/browser", "{}").status()).as("and on the first replica too").isEqualTo(429);
        }
    }

    /**
     * A policy large enough for replicas to spend from their own copies of the bucket (200 per hour, 5 %
     * each: 10 tokens unsynchronized) still holds across replicas: requests alternating between two replicas
     * get at least the 200 and at most the one other replica's 10 more, then both refuse.
     */
    @Test
    void replicasSpendingFromTheirOwnCopiesOvershootBySharesAtMost() {
        String prefix = newPrefix();
        String[] policy = {"--agent-api.rate-limit.policies=* /api/**: 200 per hour", "--agent-api.rate-limit.local-share=0.05",
                "--agent-api.rate-limit.sync-interval=1h"};
        try (ConfigurableApplicationContext first = replica(prefix, policy); ConfigurableApplicationContext second = replica(prefix, policy)) {
            List<Api> replicas = List.of(api(first), api(second));
            int admitted = 0;
            int refusedInARow = 0;
            for (int i = 0; refusedInARow < 4 && i < 400; i++) {
                int status = replicas.get(i % 2).get("/api/agents/browser/none-" + i).status();
                if (status == 429) {
                    refusedInARow++;
                } else {
                    assertThat(status).isEqualTo(404);
                    admitted++;
                    refusedInARow = 0;
                }
            }
            assertThat(refusedInARow).as("both replicas refuse in the end").isEqualTo(4);
            assertThat(admitted).as("the policy's 200, plus at most the other replica's 10 unsynchronized tokens")
                    .isBetween(200, 210);
        }
    }
}
