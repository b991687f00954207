package dev.agentapi.security;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * The API keys the service accepts, held only as SHA-256 hashes: those configured in the
 * environment, and those it keeps in its database (the first-start admin key, added by
 * {@link FirstStartKey}). A presented key is hashed and compared with every known hash in constant time.
 */
@Component
public class ApiKeyStore {

    private final List<ApiKeyOwner> keys = new CopyOnWriteArrayList<>();

    public ApiKeyStore(SecurityProperties properties) {
        properties.apiKeys().stream().filter(SecurityProperties::hasText).map(ApiKeyStore::parse).forEach(keys::add);
    }

    /** {@code owner:role:key}, or {@code owner:role:sha256:<64 hex>} to keep even the key out of the environment. */
    static ApiKeyOwner parse(String entry) {
        String[] parts = entry.trim().split(":", 3);
        if (parts.length < 3 || parts[0].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("API key entries look like owner:role:key or owner:role:sha256:<hex>");
        }
        Role role = Role.of(parts[1]).orElseThrow(() ->
                new IllegalArgumentException("API key role must be user or admin (owner " + parts[0] + ")"));
        String secret = parts[2];
        String hex = secret.startsWith("sha256:") ? secret.substring(7) : null;
        // checked before parsing: HexFormat's own refusals ("string length not even: 3") say nothing of which setting is wrong
        if (hex != null && (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0))) {
            throw new IllegalArgumentException("API key hash for " + parts[0] + " must be 64 hex characters");
        }
        byte[] hash = hex != null ? HexFormat.of().parseHex(hex) : ApiKeys.hash(secret);
        return new ApiKeyOwner(owner(parts[0]), role, hash);
    }

    /** The key's owner id, {@code key:<name>}; the refusal names no key (OwnerId's messages never repeat the name). */
    private static OwnerId owner(String name) {
        try {
            return OwnerId.ofKey(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("API key owner names must make an owner id: " + e.getMessage());
        }
    }

    /** Adds a key kept elsewhere (the database's, {@link FirstStartKey}) unless its hash is known already. */
    void add(ApiKeyOwner key) {
        if (keys.stream().noneMatch(k -> MessageDigest.isEqual(k.hash(), key.hash()))) {
            keys.add(key);
        }
    }

    public Optional<ApiKeyOwner> find(String presented) {
        byte[] hash = ApiKeys.hash(presented);
        ApiKeyOwner match = null;
        for (ApiKeyOwner key : keys) { // a snapshot: CopyOnWriteArrayList iterates the array it had
            // no early exit: every known hash is compared, each in constant time
            if (MessageDigest.isEqual(hash, key.hash()) && match == null) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
