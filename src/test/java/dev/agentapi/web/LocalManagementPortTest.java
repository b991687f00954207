package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Only local mode with the default port moves Actuator off a taken 9090; production and a chosen port stay as configured. */
class LocalManagementPortTest {

    ServerSocket held;

    @BeforeEach
    void take9090() throws IOException {
        held = new ServerSocket();
        try {
            held.bind(new InetSocketAddress(LocalManagementPort.DEFAULT_PORT));
        } catch (IOException alreadyTaken) {
            held.close(); // held by something else: taken all the same
        }
    }

    @AfterEach
    void release() throws IOException {
        held.close();
    }

    private static String portAfter(Map<String, Object> application, Map<String, Object> commandLine) {
        return after(application, commandLine).getProperty("management.server.port");
    }

    private static StandardEnvironment after(Map<String, Object> application, Map<String, Object> commandLine) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'", application));
        if (!commandLine.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        }
        new LocalManagementPort().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void localModeMovesOffATakenDefaultPort() {
        assertThat(LocalManagementPort.taken(LocalManagementPort.DEFAULT_PORT)).isTrue();
        assertThat(portAfter(Map.of("management.server.port", "9090", "agent-api.database.url", ""), Map.of())).isEqualTo("0");
    }

    @Test
    void productionAndAChosenPortAreLeftAlone() {
        assertThat(portAfter(Map.of("management.server.port", "9090", "agent-api.database.url", "postgresql://db/x"), Map.of()))
                .as("production").isEqualTo("9090");
        assertThat(portAfter(Map.of("management.server.port", "9090", "agent-api.database.url", ""),
                Map.of("management.server.port", "9090"))).as("chosen on the command line").isEqualTo("9090");
        assertThat(portAfter(Map.of("management.server.port", "9191", "agent-api.database.url", ""), Map.of()))
                .as("another port").isEqualTo("9191");
    }

    /** The replica port (REPLICA_PORT, 9091) likewise: moved locally when taken, never in production or when chosen. */
    @Test
    void theReplicaPortMovesLocallyOnlyWhenTakenAndNotChosen() throws IOException {
        try (ServerSocket replica = new ServerSocket()) {
            try {
                replica.bind(new InetSocketAddress(LocalManagementPort.DEFAULT_REPLICA_PORT));
            } catch (IOException alreadyTaken) {
                // held by something else: taken all the same
            }
            Map<String, Object> local = Map.of("agent-api.replica.port", "9091", "agent-api.database.url", "");
            assertThat(after(local, Map.of()).getProperty("agent-api.replica.port")).isEqualTo("0");
            assertThat(after(local, Map.of()).getProperty(LocalManagementPort.REPLICA_MOVED)).isEqualTo("true");
            assertThat(after(Map.of("agent-api.replica.port", "9091", "agent-api.database.url", "postgresql://db/x"), Map.of())
                    .getProperty("agent-api.replica.port")).as("production").isEqualTo("9091");
            assertThat(after(local, Map.of("agent-api.replica.port", "9091")).getProperty("agent-api.replica.port"))
                    .as("chosen on the command line").isEqualTo("9091");
        }
    }
}
