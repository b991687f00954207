package dev.agentapi.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** How API keys are made and hashed. Keys are random and long, so one SHA-256 is the right hash. */
final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Only ever cloned, never updated: a clone costs less than a provider lookup per request. */
    private static final MessageDigest SHA_256 = sha256();

    private ApiKeys() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "aak_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String key) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
        return digest.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String hashHex(String key) {
        return HexFormat.of().formatHex(hash(key));
    }
}
