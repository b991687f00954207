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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Signs and checks requests one replica forwards to another: HMAC-SHA256 with the shared
 * {@link ReplicaSecret} over the method, path, time, a one-time nonce, the sending replica, the replica it is
 * meant for, the caller the request acts for and the body's SHA-256 (sent as a header, so every header is
 * checked before the body is read). A request is accepted once, by the replica it names, within
 * {@link #WINDOW} of its time; anything else (no signature, a wrong one, a changed header or body, a replay,
 * another replica's request) is refused.
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
    /** The replica the request is meant for: a captured request cannot be replayed to another one. */
    public static final String TO = "X-Agent-Api-Replica-To";
    /** The body's SHA-256 (hex): signed with the headers, so they are checked before the body is read. */
    public static final String CONTENT = "X-Agent-Api-Replica-Content-SHA256";
    /** The headers a signed request carries. */
    public static final List<String> HEADERS = List.of(SIGNATURE, TIMESTAMP, NONCE, FROM, TO, ACTOR, CONTENT);
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

    /** A request whose headers verified: who it acts for, and what its body must hash to. */
    public record Signed(String actor, String contentSha256) {

        /** Whether {@code body} is the body that was signed. */
        public boolean covers(byte[] body) {
            return MessageDigest.isEqual(contentHash(body).getBytes(StandardCharsets.US_ASCII),
                    contentSha256.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * The headers that make a request from replica {@code from} to replica {@code to}, acting for {@code actor} (an
     * opaque, already encoded value).
     */
    public Map<String, String> sign(String method, String path, String from, String to, String actor, byte[] body) {
        String time = String.valueOf(clock.instant().getEpochSecond());
        String nonce = UUID.randomUUID().toString();
        String content = contentHash(body);
        return Map.of(TIMESTAMP, time, NONCE, nonce, FROM, from, TO, to, ACTOR, actor, CONTENT, content,
                SIGNATURE, mac(canonical(method, path, time, nonce, from, to, actor, content)));
    }

    /**
     * The first check, before the body is read: a request signed with the shared secret, for replica {@code self},
     * within the time window, whose nonce was not seen before (it is remembered from here on). Empty otherwise.
     * The body is then to be checked with {@link Signed#covers}.
     */
    public Optional<Signed> verifyHeaders(String method, String path, Map<String, String> headers, String self) {
        String signature = headers.get(SIGNATURE);
        String time = headers.get(TIMESTAMP);
        String nonce = headers.get(NONCE);
        String from = headers.get(FROM);
        String to = headers.get(TO);
        String actor = headers.get(ACTOR);
        String content = headers.get(CONTENT);
        if (signature == null || time == null || nonce == null || from == null || to == null || actor == null || content == null
                || nonce.length() > 64 || !to.equals(self)) {
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
        byte[] expected = mac(canonical(method, path, time, nonce, from, to, actor, content)).getBytes(StandardCharsets.US_ASCII);
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
        return Optional.of(new Signed(actor, content));
    }

    /** Both checks at once, for a body already at hand: the verified caller ({@link #ACTOR}'s value), or empty. */
    public Optional<String> verify(String method, String path, Map<String, String> headers, String self, byte[] body) {
        return verifyHeaders(method, path, headers, self).filter(signed -> signed.covers(body)).map(Signed::actor);
    }

    private static String canonical(String method, String path, String time, String nonce, String from, String to, String actor,
                                    String content) {
        return String.join("\n", "v2", method, path, time, nonce, from, to, actor, content);
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

    /** The hex SHA-256 of a body ({@link #CONTENT}); no body hashes as an empty one. */
    public static String contentHash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
