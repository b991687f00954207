package dev.agentapi.health;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.agentapi.support.ControllerSliceTest;
import dev.agentapi.support.TestKeys;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@link ProbeController} and {@link SeedHealthController} over Actuator's real health endpoint and groups (as
 * {@code application.yml} configures them), with the {@code database} and {@code replica} indicators stood in
 * by indicators this test sets: the probes' status mapping and the seed's shape, without a database.
 */
@ControllerSliceTest({ProbeController.class, SeedHealthController.class})
@ImportAutoConfiguration({ApplicationAvailabilityAutoConfiguration.class, HealthContributorAutoConfiguration.class,
        HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
        AvailabilityProbesAutoConfiguration.class})
class HealthControllersSliceTest {

    static final AtomicReference<Health> DATABASE = new AtomicReference<>(Health.up().build());

    @Autowired
    MockMvc mvc;

    @AfterEach
    void databaseBack() {
        DATABASE.set(Health.up().build());
    }

    @Test
    void probesArePublicAndFollowTheirGroups() throws Exception {
        mvc.perform(get("/health/live")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/health/ready")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        DATABASE.set(Health.down().withDetail("error", "refused").build());
        mvc.perform(get("/health/ready")).andExpect(status().isServiceUnavailable()).andExpect(jsonPath("$.status").value("DOWN"));
        // liveness never asks the database
        mvc.perform(get("/health/live")).andExpect(status().isOk());
    }

    @Test
    void theSeedsHealthIsPublicInItsOwnWordsWithDetailsForAdminsOnly() throws Exception {
        mvc.perform(get("/api/agents/health"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("healthy"))
                .andExpect(jsonPath("$.service").value("agent-api"))
                .andExpect(jsonPath("$.timestamp").exists());
        mvc.perform(get("/api/agents/health/live")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("alive"));
        mvc.perform(get("/api/agents/health/ready"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ready"))
                .andExpect(jsonPath("$.components.database.status").value("healthy"))
                .andExpect(jsonPath("$.components.redis.status").value("not_configured"));
        DATABASE.set(Health.down().withDetail("error", "refused").build());
        mvc.perform(get("/api/agents/health/ready"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.status").value("not_ready"))
                .andExpect(jsonPath("$.components.database.status").value("unhealthy"))
                .andExpect(jsonPath("$.components.database.error").doesNotExist());
        // the details (an error text can name hosts) are an admin's
        mvc.perform(get("/api/agents/health/ready").header("X-API-Key", TestKeys.ADMIN))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.components.database.error").value("refused"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Indicators {
        @Bean
        HealthIndicator database() {
            return DATABASE::get;
        }

        @Bean
        HealthIndicator replica() {
            return () -> Health.up().build();
        }
    }
}
