package dev.agentapi.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Outside local mode a replica signs and checks forwards with AGENT_API_REPLICA_SECRET alone: without it, it does not
 * start (a key kept in the database would let anyone who reads the database sign as any user). Locally it needs none.
 */
class ReplicaSecretTest {

    private static ReplicaProperties with(String secret) {
        return new ReplicaProperties(null, Duration.ofSeconds(15), secret, Duration.ofSeconds(2), Duration.ofSeconds(180),
                Duration.ofSeconds(1), 0);
    }

    @Test
    void outsideLocalModeNoSecretMeansNoReplica() {
        assertThatThrownBy(() -> new ReplicaSecret(with(null), "postgresql://db/agents"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AGENT_API_REPLICA_SECRET is not set");
        assertThatThrownBy(() -> new ReplicaSecret(with(" "), "postgresql://db/agents")).isInstanceOf(IllegalStateException.class);
        String configured = "k".repeat(40);
        assertThat(new ReplicaSecret(with(configured), "postgresql://db/agents").key())
                .isEqualTo(configured.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void locallyAKeyIsMadeForTheRun() {
        byte[] one = new ReplicaSecret(with(null), "").key();
        assertThat(one).hasSize(32);
        assertThat(new ReplicaSecret(with(null), null).key()).isNotEqualTo(one);
    }

    @Test
    @ExtendWith(RequiresPostgres.class)
    void aServiceWithADatabaseUrlAndNoSecretFailsAtStartSayingWhy() {
        // command-line arguments outrank the test configuration's key and any in the environment
        assertThatThrownBy(() -> SpringApplication.run(AgentApiApplication.class, "--server.port=0", "--agent-api.replica.port=0",
                "--agent-api.database.url=" + TestDatabase.shared(), "--agent-api.replica.secret=").close())
                .satisfies(failure -> assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("AGENT_API_REPLICA_SECRET is not set"));
    }

    /** A Secret mounted as files (Kubernetes volume, Docker secret) gives the key through Boot's config tree import. */
    @Test
    void aMountedSecretFileGivesTheKey(@TempDir Path secrets) throws Exception {
        String key = "m".repeat(48);
        Files.writeString(secrets.resolve("agent-api.replica.secret"), key);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
                .run("--spring.config.import=configtree:" + secrets + "/")) {
            assertThat(context.getEnvironment().getProperty("agent-api.replica.secret")).isEqualTo(key);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
