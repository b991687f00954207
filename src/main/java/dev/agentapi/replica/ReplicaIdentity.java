package dev.agentapi.replica;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * This replica as leases and audit entries name it: host/pid/random, with no ':' (it separates a task
 * lease's token), new for every start; and the address other replicas reach it at (see
 * {@link ReplicaProperties#advertisedUrl()}), known once the web server listens.
 */
@Component
public class ReplicaIdentity {

    private final String id;
    private final ReplicaProperties properties;
    private volatile String advertisedUrl;

    public ReplicaIdentity(ReplicaProperties properties) {
        this.properties = properties;
        this.id = (host().getHostName() + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                + UUID.randomUUID().toString().substring(0, 8)).replace(':', '_');
        if (properties.advertisedUrl() != null && !properties.advertisedUrl().isBlank()) {
            advertisedUrl = stripSlash(properties.advertisedUrl().trim());
        }
    }

    public String id() {
        return id;
    }

    /**
     * Where other replicas reach this one; {@code http://…:<port>} from the running server unless configured.
     * Before the server listens (or in a process without one) an address no request can reach, unique to this replica.
     */
    public String advertisedUrl() {
        String url = advertisedUrl;
        return url != null ? url : "unreachable://" + id;
    }

    /** The main server's port (not the management server's) completes the default address. */
    @EventListener
    void on(WebServerInitializedEvent started) {
        if (advertisedUrl == null && started.getApplicationContext().getServerNamespace() == null) {
            String podIp = System.getenv("POD_IP");
            String host = podIp != null && !podIp.isBlank() ? podIp.trim() : host().getHostAddress();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            advertisedUrl = "http://" + host + ":" + started.getWebServer().getPort();
        }
    }

    public ReplicaProperties properties() {
        return properties;
    }

    private static InetAddress host() {
        try {
            return InetAddress.getLocalHost();
        } catch (java.io.IOException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
