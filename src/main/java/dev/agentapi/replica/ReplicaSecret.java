package dev.agentapi.replica;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The key replicas sign forwarded requests with: AGENT_API_REPLICA_SECRET, the same on every replica (or a mounted
 * file named {@code agent-api.replica.secret}, with {@code spring.config.import=configtree:<dir>/}).
 * Outside local mode (DATABASE_URL set) it is required, and a replica without it does not start: a key kept in
 * the database would let whoever can read the database (a read-only role, a leaked backup) sign requests as any
 * user. In local mode (the embedded database, one replica) a key is made for this run when none is set: nobody
 * else forwards to it.
 */
@Component
class ReplicaSecret {

    static final String MISSING = "AGENT_API_REPLICA_SECRET is not set. Outside local mode (DATABASE_URL set) replicas sign "
            + "the requests they forward to each other with it: set the same random value (at least 32 characters, e.g. "
            + "`openssl rand -base64 48`) on every replica, from a Secret, never in a committed file";

    private final byte[] key;

    ReplicaSecret(ReplicaProperties properties, @Value("${agent-api.database.url:}") String databaseUrl) {
        if (StringUtils.hasText(properties.secret())) {
            key = properties.secret().getBytes(StandardCharsets.UTF_8);
        } else if (!StringUtils.hasText(databaseUrl)) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        } else {
            throw new IllegalStateException(MISSING);
        }
    }

    byte[] key() {
        return key;
    }
}
