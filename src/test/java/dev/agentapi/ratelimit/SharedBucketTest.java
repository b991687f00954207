package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Two replicas sharing one Redis draw from one bucket. */
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
class SharedBucketTest {

    private static ConfigurableApplicationContext replica(String prefix) {
        return new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + TestDatabase.shared(),
                "--agent-api.security.api-keys=" + TestKeys.property(),
                "--agent-api.redis.url=" + TestRedis.URL,
                "--agent-api.cache.key-prefix=" + prefix + "agent:",
                "--agent-api.rate-limit.key-prefix=" + prefix);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort(), TestKeys.ALICE);
    }

    @Test
    void sixCreatesOnOneAndFiveOnTheOtherMakeTheEleventhA429() {
        String prefix = TestRedis.RUN_PREFIX + "shared-" + UUID.randomUUID().toString().substring(0, 6) + ":";
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
}
