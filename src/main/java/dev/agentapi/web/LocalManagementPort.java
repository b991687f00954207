package dev.agentapi.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Local mode never fails to start because Actuator's port or the replica port is taken: a developer machine often
 * has something on 9090 (a local Prometheus) or 9091. With no {@code DATABASE_URL} and no {@code MANAGEMENT_PORT}
 * ({@code REPLICA_PORT}), a taken 9090 (9091) moves Actuator (the replica routes) to a free port, printed once it
 * listens. Production (and any configured port) is left alone: there
 * a taken port is a mistake to see at once.
 */
public class LocalManagementPort implements EnvironmentPostProcessor, Ordered {

    static final int DEFAULT_PORT = 9090;
    static final String MOVED = "agent-api.local.management-port-moved";
    static final int DEFAULT_REPLICA_PORT = 9091;
    /** Read by replica/ReplicaPort, which says where the replica routes went. */
    static final String REPLICA_MOVED = "agent-api.local.replica-port-moved";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1; // application.yml is read by then
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean local = !StringUtils.hasText(environment.getProperty("agent-api.database.url"));
        if (!local) {
            return;
        }
        Map<String, Object> moved = new HashMap<>();
        if (movable(environment, "management.server.port", "MANAGEMENT_PORT", DEFAULT_PORT)) {
            moved.putAll(Map.of("management.server.port", "0", MOVED, "true"));
        }
        if (movable(environment, "agent-api.replica.port", "REPLICA_PORT", DEFAULT_REPLICA_PORT)) {
            moved.putAll(Map.of("agent-api.replica.port", "0", REPLICA_MOVED, "true"));
        }
        if (!moved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("localManagementPort", moved));
        }
    }

    /** At its default, not chosen by the operator, and taken. */
    private static boolean movable(ConfigurableEnvironment environment, String property, String variable, int defaultPort) {
        // chosen: the variable, or the port set anywhere but the application's configuration files
        // (and Boot's view over all sources, which holds every property)
        boolean chosen = environment.containsProperty(variable)
                || environment.getPropertySources().stream().anyMatch(source -> !source.getName().contains("application")
                        && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                        && source.containsProperty(property));
        return !chosen && String.valueOf(defaultPort).equals(environment.getProperty(property)) && taken(defaultPort);
    }

    static boolean taken(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException inUse) {
            return true;
        }
    }

    /** Says where Actuator went, once its server listens. */
    public static class Announcer implements ApplicationListener<WebServerInitializedEvent> {

        private static final Logger log = LoggerFactory.getLogger(LocalManagementPort.class);

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            ApplicationContext context = event.getApplicationContext();
            // the management context's environment is its own; the move was recorded in the application's
            ApplicationContext application = context.getParent() != null ? context.getParent() : context;
            if ("management".equals(event.getApplicationContext().getServerNamespace())
                    && application.getEnvironment().getProperty(MOVED, Boolean.class, false)) {
                log.warn("Port {} is taken: Actuator (health details, Prometheus) listens on port {} instead "
                        + "(MANAGEMENT_PORT chooses one)", DEFAULT_PORT, event.getWebServer().getPort());
            }
        }
    }
}
