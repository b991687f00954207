package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.cache.AgentCache;
import dev.agentapi.cache.RedisAgentCache;
import dev.agentapi.ratelimit.BucketStore;
import dev.agentapi.ratelimit.RedisBucketStore;
import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ProbesTest {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ApplicationContext context;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void livenessAndReadinessAnswer200WhenTheDatabaseAnswers() {
        Api.Response live = api.get("/health/live");
        Api.Response ready = api.get("/health/ready");

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("components").has("database")).as("liveness never asks the database").isFalse();
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.json().get("components").get("database").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void seedHealthJsonKeepsItsShape() {
        JsonNode health = api.get("/api/agents/health").json();
        assertThat(health.get("status").asString()).isEqualTo("healthy");
        assertThat(health.get("service").asString()).isEqualTo("agent-api");
        assertThat(health.has("timestamp")).isTrue();

        Api.Response ready = api.get("/api/agents/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        JsonNode body = ready.json();
        assertThat(body.get("status").asString()).isEqualTo("ready");
        JsonNode components = body.get("components");
        assertThat(components.propertyNames()).contains("database", "redis", "taskade_api", "application_insights", "memory_state");
        assertThat(components.get("database").get("status").asString()).isEqualTo("healthy");
        assertThat(components.get("database").get("mode").asString()).isEqualTo("postgresql");
        assertThat(components.get("application_insights").get("enabled").asBoolean()).isFalse();
        assertThat(components.get("memory_state").has("active_agents")).isTrue();
        assertThat(components.get("memory_state").get("heap_used_mb").asLong()).isPositive();
    }

    /** What anybody may read: each component's status word, no detail (error texts, hosts, replica ids, endpoints). */
    @Test
    void thePublicReadinessReportCarriesStatusWordsOnly() {
        for (Api caller : List.of(Api.anonymous(port), new Api(port, dev.agentapi.support.TestKeys.ALICE))) {
            JsonNode components = caller.get("/api/agents/health/ready").json().get("components");
            assertThat(components.propertyNames()).contains("database", "redis", "taskade_api", "application_insights",
                    "memory_state", "browsers", "replica");
            for (String name : components.propertyNames()) {
                assertThat(components.get(name).propertyNames()).as(name).containsExactly("status");
                assertThat(components.get(name).get("status").asString()).as(name)
                        .isIn("healthy", "unhealthy", "not_configured", "warning");
            }
        }
    }

    @Test
    void aBurstOfReadinessProbesCostsAHandfulOfDatabaseRoundTrips() {
        double before = databaseChecks();
        for (int i = 0; i < 200; i++) {
            assertThat(api.get("/health/ready").status()).isEqualTo(200);
        }
        double roundTrips = databaseChecks() - before;

        assertThat(roundTrips).isLessThanOrEqualTo(5);
    }

    private double databaseChecks() {
        return meters.get("health_checks").tag("component", "database").counter().count();
    }

    @Test
    void everyResponseCarriesARequestIdAndAnIncomingTraceparentIsContinued() {
        assertThat(api.get("/health/live").header("X-Request-Id")).isNotBlank();
        assertThat(api.get("/api/agents/browser/nope").header("X-Request-Id")).isNotBlank();

        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Api.Response traced = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").GET());
        assertThat(traced.header("X-Request-Id")).isEqualTo(traceId);

        Api.Response own = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("X-Request-Id", "client-chosen-42").GET());
        assertThat(own.header("X-Request-Id")).isEqualTo("client-chosen-42");
    }

    @Test
    void metricsAreScrapeableForPrometheusOnTheManagementPortOnly() {
        assertThat(api.get("/api/agents/browser").status()).isEqualTo(200);
        Api.Response scrape = Api.anonymous(managementPort).get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("active_agents", "health_checks_total", "http_server_requests_seconds_count");
        // each request's observation is timed, without a long-task timer beside it (a cost on every request)
        assertThat(scrape.body()).doesNotContain("http_server_requests_active");
        // nor observations of Spring Security's filters, authentications and authorizations
        assertThat(scrape.body()).doesNotContain("spring_security_");

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(Api.anonymous(port).get("/actuator/prometheus").status()).as("not served on the main port").isEqualTo(404);
        assertThat(api.get("/actuator/prometheus").status()).as("not even to an admin").isEqualTo(404);
        assertThat(Api.anonymous(port).get("/health/live").status()).as("probes stay on the main port").isEqualTo(200);
    }

    @Test
    void actuatorBeyondTheScrapeStaysAdminOnlyOnTheManagementPort() {
        assertThat(Api.anonymous(managementPort).get("/actuator/info").status()).isEqualTo(401);
        assertThat(new Api(managementPort, dev.agentapi.support.TestKeys.ALICE).get("/actuator/info").status()).isEqualTo(403);
        assertThat(new Api(managementPort).get("/actuator/info").status()).isEqualTo(200);
    }

    /**
     * Actuator's health on the management port (network-restricted, never behind the Service) shows every component's
     * details; the main port serves no Actuator, and its public reports carry status words, no replica id or address.
     */
    @Test
    void healthDetailsShowOnTheManagementPortAndNowhereOnTheMainPort() {
        JsonNode actuator = Api.anonymous(managementPort).get("/actuator/health").json().get("components");
        assertThat(actuator.at("/database/details/mode").asString()).as("%s", actuator.get("database")).isNotBlank();
        assertThat(actuator.at("/replica/details/id").asString()).as("%s", actuator.get("replica")).isNotBlank();
        String replicaId = actuator.at("/replica/details/id").asString();

        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator")) {
            // anonymous: what any route that is not public answers (401), or 404 for the public names
            assertThat(Api.anonymous(port).get(path).status()).as("%s on the main port", path).isIn(401, 404);
            assertThat(api.get(path).status()).as("%s on the main port, as an admin", path).isEqualTo(404);
        }
        for (String path : List.of("/health/ready", "/health/live", "/api/agents/health/ready")) {
            Api.Response answer = Api.anonymous(port).get(path);
            assertThat(answer.body()).as(path).doesNotContain(replicaId).doesNotContain("advertised_url").doesNotContain("\"details\"");
        }
    }

    /**
     * With REDIS_URL the Redis forms are the roles' beans, and every role's health indicator is Actuator's: the
     * seed report on the main port and Actuator's health on the management port tell the same story.
     */
    @Test
    void rolesContributeHealthIndicatorsThatTheSeedReportRenders() {
        assertThat(context.getBean(AgentCache.class)).isInstanceOf(RedisAgentCache.class);
        assertThat(context.getBean(BucketStore.class)).isInstanceOf(RedisBucketStore.class);

        JsonNode actuator = new Api(managementPort).get("/actuator/health").json().get("components");
        assertThat(actuator.propertyNames()).contains("database", "redis", "taskade", "applicationInsights", "memory", "browsers");
        assertThat(actuator.get("redis").get("status").asString()).isEqualTo("UP");
        assertThat(actuator.get("browsers").get("status").asString()).as("Chromium is installed here: %s", actuator.get("browsers")).isEqualTo("UP");
        assertThat(actuator.get("taskade").get("status").asString()).as("no Taskade key in tests").isEqualTo("UNKNOWN");

        JsonNode seed = api.get("/api/agents/health/ready").json().get("components");
        assertThat(seed.get("redis").get("status").asString()).isEqualTo("healthy");
        assertThat(seed.get("redis").get("cache").asString()).isEqualTo("redis");
        assertThat(seed.get("redis").get("rate_limit").asString()).isEqualTo("redis");
        assertThat(seed.get("taskade_api").get("status").asString()).isEqualTo("not_configured");
        assertThat(seed.get("application_insights").get("status").asString()).isEqualTo("not_configured");
    }
}
