package dev.agentapi.replica;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this replica takes part in a group of replicas sharing one database.
 * {@code port} (REPLICA_PORT): the port of its own that serves the replica routes (and nothing else; they are not
 * served on the main port); 0 takes a free port, advertised once bound.
 * {@code advertisedUrl} (AGENT_API_ADVERTISED_URL): where the other replicas reach this one, for requests
 * about the browsers it holds; unset, {@code http://<POD_IP or this host's address>:<replica port>}. It must
 * name this replica alone (a pod address, not a Service), at its replica port. {@code leaseTtl} (AGENT_LEASE_TTL): how long an
 * agent stays owned by a replica that stopped renewing; renewed every third of it. {@code secret}
 * (AGENT_API_REPLICA_SECRET): the key replicas sign forwarded requests with, the same on every replica; required
 * outside local mode (see {@link ReplicaSecret}). A forwarded request waits
 * {@code forwardConnectTimeout} for a connection and {@code forwardReadTimeout} for the answer (longer than
 * the longest action). {@code reapInterval}: how often this replica looks for expired leases.
 */
@ConfigurationProperties(prefix = "agent-api.replica")
public record ReplicaProperties(
        String advertisedUrl,
        @DefaultValue("15s") Duration leaseTtl,
        String secret,
        @DefaultValue("2s") Duration forwardConnectTimeout,
        @DefaultValue("180s") Duration forwardReadTimeout,
        @DefaultValue("1s") Duration reapInterval,
        @DefaultValue("9091") int port) {

    /** Shortest secret accepted from the environment: 32 characters. */
    static final int MIN_SECRET_LENGTH = 32;

    public ReplicaProperties {
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agent-api.replica.lease-ttl (AGENT_LEASE_TTL) must be at least 1s");
        }
        if (secret != null && !secret.isBlank() && secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("AGENT_API_REPLICA_SECRET must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("agent-api.replica.port (REPLICA_PORT) must be a port (0 takes a free one)");
        }
        if (advertisedUrl != null && !advertisedUrl.isBlank()
                && !(advertisedUrl.startsWith("http://") || advertisedUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("agent-api.replica.advertised-url (AGENT_API_ADVERTISED_URL) must be an http(s) URL");
        }
    }

    /** The owner renews its leases this often: three renewals fit in one lease. */
    public Duration heartbeat() {
        return leaseTtl.dividedBy(3);
    }
}
