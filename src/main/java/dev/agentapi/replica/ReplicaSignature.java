package dev.agentapi.replica;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Signs and checks requests one replica forwards to another: HMAC-SHA256 with the shared
 * {@link ReplicaSecret} over the method, path, time, a one-time nonce, the sending replica, the caller
 * the request acts for and the body's SHA-256. A request is accepted once, within {@link #WINDOW} of
 * its time; anything else (no signature, a wrong one, a changed header or body, a replay) is refused.
 * Only the routes under {@link #PATH_PREFIX} accept signed requests, and they never forward again.
 */
@Component
public class ReplicaSignature {

    public static final String PATH_PREFIX = "/internal/replica/";
    public static final String SIGNATURE = "X-Agent-Api-Replica-Signature";
    public static final String TIMESTAMP = "X-Agent-Api-Replica-Time";
    public static final String NONCE = "X-Agent-Api-Replica-Nonce";
    public static final String FROM = "X-Agent-Api-Replica-From";
    public static final String ACTOR = "X-Agent-Api-Replica-Actor";
    static final Duration WINDOW = Duration.ofSeconds(30);
    private static final String ALGORITHM = "HmacSHA256";

    private final ReplicaSecret secret;
    private final Clock clock;
    /** Nonces seen within the window (nonce → when it may be forgotten). */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    /** When the nonces were last pruned: at most once a second, not on every request. */
    private volatile Instant pruned = Instant.EPOCH;

    ReplicaSignature(ReplicaSecret secret) {
        this.secret = secret;
        this.clock = Clock.systemUTC();
    }

    /** The headers that make a forwarded request, acting for {@code actor} (an opaque, already encoded value). */
    public Map<String, String> sign(String method, String path, String from, String actor, byte[] body) {
        String time = String.valueOf(clock.instant().getEpochSecond());
        String nonce = UUID.randomUUID().toString();
        return Map.of(TIMESTAMP, time, NONCE, nonce, FROM, from, ACTOR, actor,
                SIGNATURE, mac(canonical(method, path, time, nonce, from, actor, body)));
    }

    /** The verified caller ({@link #ACTOR}'s value), or empty when the request is not a valid, fresh, first-seen one. */
    public Optional<String> verify(String method, String path, Map<String, String> headers, byte[] body) {
        String signature = headers.get(SIGNATURE);
        String time = headers.get(TIMESTAMP);
        String nonce = headers.get(NONCE);
        String from = headers.get(FROM);
        String actor = headers.get(ACTOR);
        if (signature == null || time == null || nonce == null || from == null || actor == null || nonce.length() > 64) {
            return Optional.empty();
        }
        Instant sent;
        try {
            sent = Instant.ofEpochSecond(Long.parseLong(time));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(WINDOW)) || sent.isAfter(now.plus(WINDOW))) {
            return Optional.empty();
        }
        byte[] expected = mac(canonical(method, path, time, nonce, from, actor, body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        if (pruned.isBefore(now.minusSeconds(1))) {
            pruned = now;
            seen.values().removeIf(until -> until.isBefore(now));
        }
        if (seen.putIfAbsent(nonce, sent.plus(WINDOW).plus(WINDOW)) != null) {
            return Optional.empty(); // a replay of a request already served
        }
        return Optional.of(actor);
    }

    private static String canonical(String method, String path, String time, String nonce, String from, String actor, byte[] body) {
        return String.join("\n", "v1", method, path, time, nonce, from, actor, sha256(body));
    }

    private String mac(String canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.key(), ALGORITHM));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
