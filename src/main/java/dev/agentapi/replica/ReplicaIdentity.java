package dev.agentapi.replica;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This replica as leases and audit entries name it: host/pid/random, with no ':' (it separates a task
 * lease's token), new for every start; and the address other replicas reach it at (see
 * {@link ReplicaProperties#advertisedUrl()}), known once its replica port ({@link ReplicaPort}) listens.
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
     * Where other replicas reach this one; {@code http://…:<replica port>} once that port is bound, unless configured.
     * Before the server listens (or in a process without one) an address no request can reach, unique to this replica.
     */
    public String advertisedUrl() {
        String url = advertisedUrl;
        return url != null ? url : "unreachable://" + id;
    }

    /** The replica port is bound ({@link ReplicaPort}): it completes the default address. */
    void listeningOn(int port) {
        if (advertisedUrl == null) {
            String podIp = System.getenv("POD_IP");
            String host = podIp != null && !podIp.isBlank() ? podIp.trim() : host().getHostAddress();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            advertisedUrl = "http://" + host + ":" + port;
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
