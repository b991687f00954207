package dev.agentapi.replica;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;

/**
 * The port of its own that the replica routes are served on (REPLICA_PORT): a second Tomcat connector beside the
 * main one, in the same application. It is not in the Service clients use, and only the other replicas may reach
 * it (the NetworkPolicy); {@link ReplicaPortFilter} keeps the replica routes off the main port and everything else
 * off this one. Once the server listens, this replica advertises this port (0 in the settings: the one it got).
 */
public class ReplicaPort {

    private static final Logger log = LoggerFactory.getLogger(ReplicaPort.class);

    private final Connector connector;
    private final ReplicaIdentity identity;
    /**
     * The port bound, kept from the connector's start to its stop: {@link Connector#getLocalPort()} looks the value up
     * by reflection (Tomcat's {@code IntrospectionUtils}), which cost about 3 % of a cached {@code GET}'s CPU samples
     * when every request asked it. Port 0 in the settings binds a new port at each start, hence the stop.
     */
    private volatile int boundPort = -1;

    ReplicaPort(ReplicaProperties properties, ReplicaIdentity identity) {
        this.identity = identity;
        this.connector = new Connector(TomcatWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(properties.port());
        // as on the main connector (web/TomcatConfiguration): an encoded slash reaches routing, which finds no agent by it
        connector.setEncodedSolidusHandling("passthrough");
        connector.addLifecycleListener(event -> {
            switch (event.getType()) {
                case Lifecycle.AFTER_START_EVENT -> boundPort = connector.getLocalPort();
                case Lifecycle.BEFORE_STOP_EVENT -> boundPort = -1;
                default -> { }
            }
        });
    }

    Connector connector() {
        return connector;
    }

    /** The port it listens on; -1 before the server starts. */
    public int localPort() {
        return connector.getLocalPort();
    }

    /** Whether {@code request} arrived on this port (not on the main one). */
    boolean received(HttpServletRequest request) {
        int port = boundPort;
        return port > 0 && request.getLocalPort() == port;
    }

    /** The main server started (not Actuator's): every connector is bound by now. */
    @EventListener
    void on(WebServerInitializedEvent started) {
        if (started.getApplicationContext().getServerNamespace() == null) {
            identity.listeningOn(connector.getLocalPort());
            // local mode moved a taken default port (web/LocalManagementPort)
            if (started.getApplicationContext().getEnvironment().getProperty("agent-api.local.replica-port-moved", Boolean.class, false)) {
                log.warn("Port 9091 is taken: the replica routes listen on port {} instead (REPLICA_PORT chooses one)",
                        connector.getLocalPort());
            }
        }
    }
}
