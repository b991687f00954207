package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.TestKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Local mode: no DATABASE_URL, an embedded real PostgreSQL whose data survives a restart. */
class EmbeddedModeTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        // command-line arguments: they outrank application.yml and a DATABASE_URL in the environment
        return new SpringApplicationBuilder(AgentApiApplication.class)
                .run("--server.port=0", "--agent-api.database.url=",
                        "--agent-api.database.embedded.data-dir=" + dataDir,
                        "--agent-api.security.api-keys=" + TestKeys.property());
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void dataSurvivesARestart() {
        try (ConfigurableApplicationContext first = start()) {
            assertThat(first.getBean(DatabaseMode.class)).isEqualTo(DatabaseMode.EMBEDDED);
            assertThat(api(first).post("/api/agents/browser", "{\"agent_id\": \"survivor\"}").status()).isEqualTo(201);
        }
        try (ConfigurableApplicationContext second = start()) {
            Api.Response read = api(second).get("/api/agents/browser/survivor");
            assertThat(read.status()).isEqualTo(200);
            assertThat(api(second).get("/api/audit?resource_id=survivor").json().get("total").asLong()).isEqualTo(1);
        }
    }
}
