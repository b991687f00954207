package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

class RateLimitPolicyTest {

    /** A clock the test moves: what a bucket allows depends on time, not on how fast this machine is. */
    static final class ManualClock implements TimeMeter {
        long nanos;

        void advance(Duration by) {
            nanos += by.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private static Bucket bucket(Bandwidth limit, ManualClock clock) {
        return Bucket.builder().addLimit(limit).withCustomTimePrecision(clock).build();
    }

    @Test
    void tenPerMinuteRefusesTheEleventhWithinTheMinuteHoweverSlowlyTheTenArrive() {
        RateLimitPolicy policy = RateLimitPolicy.parse("POST /api/agents/browser: 10 per minute");
        ManualClock clock = new ManualClock();
        Bucket bucket = bucket(policy.bandwidth(), clock);

        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryConsume(1)).as("create %d", i + 1).isTrue();
            clock.advance(Duration.ofSeconds(5)); // each create launches a browser and takes seconds
        }
        assertThat(bucket.tryConsume(1)).as("the 11th, 50 s after the first").isFalse();

        clock.advance(Duration.ofSeconds(10)); // a minute after the first
        assertThat(bucket.tryConsume(1)).isTrue();
    }

    @Test
    void aGreedyRefillWouldHaveLetTheEleventhThrough() {
        ManualClock clock = new ManualClock();
        Bucket greedy = bucket(Bandwidth.builder().capacity(10).refillGreedy(10, Duration.ofMinutes(1)).build(), clock);

        for (int i = 0; i < 10; i++) {
            assertThat(greedy.tryConsume(1)).isTrue();
            clock.advance(Duration.ofSeconds(5));
        }

        assertThat(greedy.tryConsume(1)).as("why the policy does not refill greedily").isTrue();
    }

    @Test
    void seedRouteLimitsMatchTheirRoutesOnly() {
        RateLimitPolicy delete = RateLimitPolicy.parse("DELETE /api/agents/browser/*: 20 per minute");
        RateLimitPolicy tasks = RateLimitPolicy.parse("POST /api/agents/mcp/tasks: 100 per minute");

        assertThat(delete.matches("DELETE", "/api/agents/browser/demo")).isTrue();
        assertThat(delete.matches("GET", "/api/agents/browser/demo")).isFalse();
        assertThat(delete.matches("DELETE", "/api/agents/browser")).isFalse();
        assertThat(delete.capacity()).isEqualTo(20);
        assertThat(tasks.matches("POST", "/api/agents/mcp/tasks")).isTrue();
        assertThat(tasks.matches("GET", "/api/agents/mcp/tasks")).isFalse();
        assertThat(tasks.capacity()).isEqualTo(100);
        assertThat(tasks.period()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theDefaultPoliciesCarryTheSeedsRouteLimitsBeforeTheCatchAll() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties properties = yaml.getObject();
        List<String> policies = new ArrayList<>();
        for (int i = 0; properties.containsKey("agent-api.rate-limit.policies[" + i + "]"); i++) {
            policies.add(properties.getProperty("agent-api.rate-limit.policies[" + i + "]"));
        }

        assertThat(policies).containsSubsequence("POST /api/agents/browser: 10 per minute",
                "DELETE /api/agents/browser/*: 20 per minute", "POST /api/agents/mcp/tasks: 100 per minute",
                "* /api/**: 1000 per minute");
    }
}
