package dev.agentapi.security;

import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The API keys kept in the database ({@code api_keys}), added to the {@link ApiKeyStore} once every bean is
 * made: the first-start admin key, made when neither an API key nor an identity provider is configured, and
 * revoked as soon as one is (or when {@code --new-admin-key} asks for a new one). The store itself reads no
 * database, so the web layer's tests can build the real security configuration with configured keys alone.
 */
@Component
class FirstStartKey implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(FirstStartKey.class);
    static final String BOOTSTRAP = "bootstrap";
    /** Whose the first-start key is: an API key named {@code admin}, as {@code admin:admin:<key>} would make. */
    static final OwnerId BOOTSTRAP_OWNER = OwnerId.ofKey("admin");
    /** The start argument that replaces a lost first-start key: {@code java -jar agent-api.jar --new-admin-key}. */
    static final String NEW_ADMIN_KEY = "new-admin-key";
    static final String NEW_ADMIN_KEY_HINT = "./mvnw spring-boot:run -Dspring-boot.run.arguments=--" + NEW_ADMIN_KEY
            + " (or java -jar agent-api.jar --" + NEW_ADMIN_KEY + ")";

    private final ApiKeyStore keys;
    private final SecurityProperties properties;
    private final JdbcTemplate jdbc;
    private final boolean newAdminKey;

    FirstStartKey(ApiKeyStore keys, SecurityProperties properties, JdbcTemplate jdbc, ApplicationArguments arguments) {
        this.keys = keys;
        this.properties = properties;
        this.jdbc = jdbc;
        this.newAdminKey = arguments.containsOption(NEW_ADMIN_KEY);
    }

    @Override
    public void afterSingletonsInstantiated() {
        boolean configured = !keys.isEmpty() || properties.jwt().configured();
        if (configured) {
            revokeBootstrapKey("API keys or an identity provider are configured now");
            if (newAdminKey) {
                log.warn("--{} ignored: API keys or an identity provider are configured, so no first-start key is made", NEW_ADMIN_KEY);
            }
        } else if (newAdminKey) {
            revokeBootstrapKey("--" + NEW_ADMIN_KEY + " asked for a new one");
        }
        loadStoredKeys();
        if (keys.isEmpty() && !configured) {
            bootstrapAdminKey();
        } else if (!configured) {
            // a later start on the same database: the key works as before, but was printed only the first time
            log.info("Admin access is the first-start API key printed when this database was new; lost it? Start once with {}",
                    NEW_ADMIN_KEY_HINT);
        }
    }

    /** The first-start key only bridges the time before real credentials: once there are some, it stops working. */
    private void revokeBootstrapKey(String why) {
        if (jdbc.update("DELETE FROM api_keys WHERE purpose = ?", BOOTSTRAP) > 0) {
            log.warn("Revoked the first-start admin API key: {}", why);
        }
    }

    private void loadStoredKeys() {
        jdbc.query("SELECT owner_id, role, key_hash FROM api_keys", rs -> {
            ApiKeyOwner stored = new ApiKeyOwner(storedOwner(rs.getString(1)), Role.of(rs.getString(2)).orElse(Role.USER),
                    HexFormat.of().parseHex(rs.getString(3)));
            keys.add(stored);
        });
    }

    /** A stored key's owner: {@code key:<name>} (V11 rewrote the plain names of earlier versions); nothing else is a key's. */
    private static OwnerId storedOwner(String ownerId) {
        try {
            OwnerId owner = OwnerId.parse(ownerId);
            if (owner.source() == OwnerId.Source.KEY) {
                return owner;
            }
        } catch (IllegalArgumentException unreadable) {
            // refused below, with what the table should hold
        }
        throw new IllegalStateException("api_keys holds a key whose owner_id is not key:<name>; every stored key belongs to an "
                + "API key owner (migration V11 rewrote the plain names of earlier versions)");
    }

    /**
     * Never run open: with no identity provider and no key, make an admin key, keep its hash, show it once.
     * One per database: the unique index on bootstrap keys lets exactly one of several replicas starting
     * together insert its key (PostgreSQL makes the others wait for that insert, then skip theirs); the
     * others print nothing and accept the winner's key.
     */
    private void bootstrapAdminKey() {
        String key = ApiKeys.generate();
        String hash = ApiKeys.hashHex(key);
        int minted = jdbc.update("INSERT INTO api_keys (owner_id, role, key_hash, purpose) VALUES (?, 'admin', ?, ?) "
                + "ON CONFLICT (purpose) WHERE purpose = '" + BOOTSTRAP + "' DO NOTHING", BOOTSTRAP_OWNER.value(), hash, BOOTSTRAP);
        if (minted == 0) {
            loadStoredKeys();
            log.info("Another instance made the first-start admin API key; it printed it");
            return;
        }
        keys.add(new ApiKeyOwner(BOOTSTRAP_OWNER, Role.ADMIN, ApiKeys.hash(key)));
        String banner = """

                ================================================================================
                 No identity provider or API key is configured, so an admin API key was made.
                 It is shown this once; only its hash is kept. It stops working as soon as
                 AGENT_API_KEYS or an identity provider (OIDC_*) is configured. Use it as:
                   curl -H 'X-API-Key: %s' http://localhost:8080/api/agents/browser
                 Lost it? Start once with --%s: the old key stops working, a new one is shown.
                ================================================================================
                """.formatted(key, NEW_ADMIN_KEY);
        System.out.println(banner);
        log.warn("Generated the first-start admin API key (printed once to the console; only its hash is stored)");
    }
}
