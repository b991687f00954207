package dev.agentapi.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whose a row is, with where that identity comes from: {@code key:<name>} for an API key's owner,
 * {@code jwt:<issuer tag>:<subject>} for a token's principal. Every feature stores and compares the
 * {@link #value() string}, so an API key named {@code alice} ({@code key:alice}) and a token whose subject is
 * {@code alice} ({@code jwt:3f9a0c1d2e4b:alice}) are two owners, and two identity providers' {@code alice}s would
 * be too. Made only here, in security, when a caller authenticates; the service's own actor ({@code system})
 * and nobody ({@code anonymous}) are actors, never owners, and have no source.
 */
public record OwnerId(Source source, String issuerTag, String name) {

    /** Owner ids are stored in VARCHAR(255) columns, prefix and all. */
    public static final int MAX_LENGTH = 255;
    /** A configured issuer tag: short, and no colon, so the subject is what follows the second colon. */
    static final Pattern ISSUER_TAG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    /** Hex characters of the issuer URL's SHA-256 that make the tag when none is configured (48 bits). */
    static final int HASHED_TAG_LENGTH = 12;

    public enum Source {
        KEY("key"), JWT("jwt");

        private final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public OwnerId {
        if (source == null) {
            throw new IllegalArgumentException("An owner id names its source (key or jwt)");
        }
        if (source == Source.KEY && issuerTag != null) {
            throw new IllegalArgumentException("An API key's owner id has no issuer");
        }
        if (source == Source.JWT && (issuerTag == null || !ISSUER_TAG.matcher(issuerTag).matches())) {
            throw new IllegalArgumentException("A token's owner id needs an issuer tag of 1 to 32 characters a-z, 0-9, '.', '_' "
                    + "or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("An owner's name must not be blank or hold control characters");
        }
        // API key names come from "owner:role:key" entries, so they never hold a colon; refusing one keeps parsing exact
        if (source == Source.KEY && name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("An API key's owner name must not contain ':'");
        }
        int length = source.prefix().length() + 1 + (issuerTag == null ? 0 : issuerTag.length() + 1) + name.length();
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("An owner id is at most " + MAX_LENGTH + " characters with its prefix; this "
                    + "one would be " + length);
        }
    }

    /** The owner of an API key named {@code name} ({@code alice} in {@code alice:user:<key>}). */
    public static OwnerId ofKey(String name) {
        return new OwnerId(Source.KEY, null, name);
    }

    /** The principal {@code subject} of tokens from the identity provider tagged {@code issuerTag}. */
    public static OwnerId ofJwt(String issuerTag, String subject) {
        return new OwnerId(Source.JWT, issuerTag, subject);
    }

    /** Reads a stored owner id; throws {@link IllegalArgumentException} for anything {@link #value()} cannot have made. */
    public static OwnerId parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("No owner id");
        }
        int colon = value.indexOf(':');
        String prefix = colon < 0 ? value : value.substring(0, colon);
        if (Source.KEY.prefix().equals(prefix)) {
            return ofKey(value.substring(colon + 1));
        }
        if (Source.JWT.prefix().equals(prefix)) {
            int second = value.indexOf(':', colon + 1);
            if (second < 0) {
                throw new IllegalArgumentException("A token's owner id looks like jwt:<issuer tag>:<subject>");
            }
            return ofJwt(value.substring(colon + 1, second), value.substring(second + 1));
        }
        throw new IllegalArgumentException("An owner id starts with its source, key: or jwt:");
    }

    /**
     * The tag of the identity provider at {@code issuerUri}: {@code configured} when set ({@code OIDC_ISSUER_TAG}, to
     * keep owners when the issuer's URL changes), else the first {@value #HASHED_TAG_LENGTH} hex characters of the
     * SHA-256 of the issuer URL exactly as configured (OIDC_ISSUER_URI, which every token's {@code iss} must equal).
     */
    public static String issuerTag(String configured, String issuerUri) {
        if (configured != null && !configured.isBlank()) {
            String tag = configured.strip().toLowerCase(Locale.ROOT);
            if (!ISSUER_TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("OIDC_ISSUER_TAG must be 1 to 32 characters a-z, 0-9, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            return tag;
        }
        if (issuerUri == null || issuerUri.isBlank()) {
            throw new IllegalArgumentException("An issuer tag needs OIDC_ISSUER_TAG or OIDC_ISSUER_URI");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(issuerUri.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, HASHED_TAG_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** What rows, audit entries and API answers carry: {@code key:alice}, {@code jwt:3f9a0c1d2e4b:alice}. */
    public String value() {
        return issuerTag == null ? source.prefix() + ":" + name : source.prefix() + ":" + issuerTag + ":" + name;
    }

    @Override
    public String toString() {
        return value();
    }
}
