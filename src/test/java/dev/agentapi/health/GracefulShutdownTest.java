package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SIGTERM (context close): readiness answers 503 while the server still serves, and a request in
 * flight at that moment completes.
 */
@ExtendWith(RequiresPostgres.class)
class GracefulShutdownTest {

    @Test
    void readinessFailsFirstAndInFlightRequestsComplete() throws Exception {
        String url = TestDatabase.create();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AgentApiApplication.class)
                .run("--server.port=0", "--agent-api.database.url=" + url, "--agent-api.health.drain-delay=3s",
                        "--agent-api.health.cache-ttl=0s", "--agent-api.security.api-keys=" + TestKeys.property());
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Api api = new Api(port);
        assertThat(api.post("/api/agents/browser", "{\"agent_id\": \"slow\"}").status()).isEqualTo(201);

        CompletableFuture<Api.Response> inFlight;
        CompletableFuture<Void> shutdown;
        boolean sawNotReady = false;
        // Hold the agent's row lock so the PATCH below stays in flight until we let go.
        try (Connection lock = DriverManager.getConnection("jdbc:" + url)) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT * FROM browser_agents WHERE id = 'slow' FOR UPDATE");
            }
            inFlight = CompletableFuture.supplyAsync(() -> api.patch("/api/agents/browser/slow", "{\"headless\": false}", Map.of()));
            Thread.sleep(500);
            assertThat(inFlight).isNotDone();

            shutdown = CompletableFuture.runAsync(context::close);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(3));
            while (Instant.now().isBefore(deadline) && !sawNotReady) {
                sawNotReady = readinessOnNewConnection(port) == 503;
                Thread.sleep(50);
            }
            lock.commit();
        }

        assertThat(sawNotReady).as("readiness answered 503 while the server still accepted connections").isTrue();
        Api.Response completed = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        shutdown.get(30, TimeUnit.SECONDS);
        assertThat(context.isActive()).isFalse();
    }

    /** A fresh client, so a fresh TCP connection: what a kubelet's next probe would open. */
    private static int readinessOnNewConnection(int port) {
        try {
            return new Api(port).get("/health/ready").status();
        } catch (java.io.UncheckedIOException refused) {
            return -1;
        }
    }
}
