package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.TestKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Local mode: no DATABASE_URL, an embedded real PostgreSQL whose data survives a restart; a taken Actuator port is no obstacle. */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedModeTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start(String... more) {
        // command-line arguments: they outrank application.yml and a DATABASE_URL in the environment
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0", "--agent-api.database.url=",
                "--agent-api.database.embedded.data-dir=" + dataDir, "--agent-api.security.api-keys=" + TestKeys.property()));
        args.addAll(java.util.List.of(more));
        return new SpringApplicationBuilder(AgentApiApplication.class).run(args.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /**
     * One data folder, two starts (each embedded start runs initdb or a PostgreSQL, so the taken port is checked on
     * the first start instead of a third): the first with the application's own configuration and 9090 held, the
     * second with the tests' configuration; what the first stored, the second reads.
     */
    @Test
    void dataSurvivesARestartAndATakenManagementPortMovesActuatorInsteadOfStoppingTheStart(CapturedOutput output)
            throws IOException {
        try (ServerSocket held = hold(9090)) { // null when something else holds it: taken either way
            // the application's own configuration alone (the tests' config/application.yml picks a random port),
            // with the tests' other settings as arguments
            try (ConfigurableApplicationContext first = start("--spring.config.location=classpath:/application.yml",
                    "--agent-api.browser.warm-pool=0", "--agent-api.browser.launch-on-create=false",
                    "--agent-api.health.drain-delay=0s", "--agent-api.taskade.api-key=")) {
                assertThat(first.getBean(DatabaseMode.class)).isEqualTo(DatabaseMode.EMBEDDED);
                int management = first.getEnvironment().getProperty("local.management.port", Integer.class, -1);
                assertThat(management).isPositive().isNotEqualTo(9090);
                assertThat(output.getOut()).contains("Port 9090 is taken: Actuator (health details, Prometheus) listens on port "
                        + management);
                assertThat(new Api(management).get("/actuator/health").status()).isEqualTo(200);
                assertThat(api(first).post("/api/agents/browser", "{\"agent_id\": \"survivor\"}").status()).isEqualTo(201);
            }
        }
        try (ConfigurableApplicationContext second = start()) {
            assertThat(second.getBean(DatabaseMode.class)).isEqualTo(DatabaseMode.EMBEDDED);
            Api.Response read = api(second).get("/api/agents/browser/survivor");
            assertThat(read.status()).isEqualTo(200);
            assertThat(api(second).get("/api/audit?resource_id=survivor").json().get("total").asLong()).isEqualTo(1);
        }
    }

    private static ServerSocket hold(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(port));
            return socket;
        } catch (IOException taken) {
            socket.close();
            return null;
        }
    }
}
