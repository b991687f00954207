package dev.agentapi.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Seals agents' browser state at rest with AES-256-GCM (the JDK's own), under the key AGENT_STATE_KEY gives (32 bytes,
 * base64; the same on every replica). Outside local mode (DATABASE_URL set) the key is required, and a replica
 * without it does not start: a key kept in the database would let whoever reads the database (a read-only role, a
 * backup) read every agent's cookies. In local mode (the embedded database) an unset key is made once and kept in
 * {@code .data/agent-state.key} (owner-only), beside the embedded database's files, so state survives a restart.
 * Each seal has a fresh 12-byte nonce; the agent's id is the associated data, so one agent's sealed state cannot be
 * passed off as another's. The content hash that spares unchanged saves is an HMAC under a key derived from this one.
 */
@Component
class AgentStateCipher {

    static final String MISSING = "AGENT_STATE_KEY is not set. Outside local mode (DATABASE_URL set) agents' browser state "
            + "(cookies, local storage) is encrypted in the database with it: set the same random 32-byte key, base64 "
            + "(e.g. `openssl rand -base64 32`), on every replica, from a Secret, never in a committed file";
    static final String MALFORMED = "AGENT_STATE_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)";

    private static final Logger log = LoggerFactory.getLogger(AgentStateCipher.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecretKeySpec hashKey;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    AgentStateCipher(AgentStateProperties properties, @Value("${agent-api.database.url:}") String databaseUrl) {
        byte[] raw;
        if (StringUtils.hasText(properties.key())) {
            raw = decode(properties.key());
        } else if (!StringUtils.hasText(databaseUrl)) {
            raw = localKey(Path.of(properties.keyFile()));
        } else {
            throw new IllegalStateException(MISSING);
        }
        this.key = new SecretKeySpec(raw, "AES");
        this.hashKey = new SecretKeySpec(hmac(new SecretKeySpec(raw, "HmacSHA256"), "agent-state content hash".getBytes(StandardCharsets.UTF_8)),
                "HmacSHA256");
        this.keyId = HexFormat.of().formatHex(sha256(raw), 0, 8);
    }

    /** A sealed state: its nonce and its ciphertext (with the tag), and which key sealed it. */
    record Sealed(byte[] nonce, byte[] ciphertext, String keyId) {
    }

    Sealed seal(String agentId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(agentId.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(plaintext), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext, or a {@link GeneralSecurityException} when another key sealed it or it was changed. */
    byte[] open(String agentId, byte[] nonce, byte[] ciphertext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(agentId.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(ciphertext);
    }

    /** Which key this is: the first 8 bytes of its SHA-256, in hex (tells a state sealed under another key). */
    String keyId() {
        return keyId;
    }

    /** An HMAC of the agent's plaintext state: equal for an unchanged state, and telling nothing of its content. */
    byte[] contentHash(String agentId, byte[] plaintext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            mac.update(agentId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] decode(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(MALFORMED);
        }
        if (raw.length != 32) {
            throw new IllegalStateException(MALFORMED);
        }
        return raw;
    }

    /** The local mode's key, made once and kept in {@code file} (readable by its owner only). */
    private static byte[] localKey(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII));
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, "agent-state", ".key");
            try {
                Files.setPosixFilePermissions(temporary, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the directory's own protection applies
            }
            Files.writeString(temporary, Base64.getEncoder().encodeToString(raw), StandardCharsets.US_ASCII);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("Made a key for agents' saved browser state (local mode) in {}", file);
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("The local key for agents' browser state could not be kept in " + file, e);
        }
    }

    private static byte[] sha256(byte[] raw) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
