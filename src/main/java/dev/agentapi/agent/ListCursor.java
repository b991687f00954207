package dev.agentapi.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

/**
 * Where a list page ends: the last agent's {@code created_at} (microseconds, PostgreSQL's precision)
 * and id, the list's sort key. Opaque to clients (base64url); the next page starts right after it.
 */
record ListCursor(Instant createdAt, String id) {

    private static final String VERSION = "1";

    static ListCursor after(AgentSummary agent) {
        return new ListCursor(agent.getCreatedAt().truncatedTo(ChronoUnit.MICROS), agent.getId());
    }

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        String plain = VERSION + "." + micros + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; anything this service did not write is refused (400). */
    static ListCursor decode(String token) {
        if (token.length() > 400) {
            throw refused();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw refused();
        }
        String[] parts = plain.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !AgentIds.isWellFormed(parts[2])) {
            throw refused();
        }
        try {
            return new ListCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), parts[2]);
        } catch (ArithmeticException | java.time.DateTimeException | NumberFormatException notAnInstant) {
            throw refused();
        }
    }

    private static RuntimeException refused() {
        return AgentProblems.invalid(Map.of("cursor", "is not a cursor this service gave out (use the `next` of a list page)"));
    }
}
