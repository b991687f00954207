package dev.agentapi.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call. JWTs from an OIDC provider ({@code jwt.issuer-uri} and/or {@code jwt.jwk-set-uri}),
 * API keys from the environment ({@code owner:role:key} or {@code owner:role:sha256:<hex>}), or,
 * with neither, an admin key generated at first start.
 */
@ConfigurationProperties(prefix = "agent-api.security")
public record SecurityProperties(@DefaultValue Jwt jwt,
                                 @DefaultValue List<String> apiKeys,
                                 @DefaultValue List<String> corsAllowedOrigins,
                                 String publicBaseUrl) {

    /**
     * {@code PUBLIC_BASE_URL}, the address clients reach the service at ({@code https://agents.example.com}):
     * where a 401's {@code resource_metadata} and the protected-resource metadata point, never the request's
     * own {@code Host}. Null when unset; a value that is no absolute http(s) URL without query or fragment
     * refuses to start.
     */
    public URI publicBase() {
        if (!hasText(publicBaseUrl)) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(publicBaseUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("PUBLIC_BASE_URL is not a URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalStateException("PUBLIC_BASE_URL must be an absolute http(s) URL without user info, query or "
                    + "fragment, such as https://agents.example.com");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }

    /** JWTs on: their settings complete, and {@code PUBLIC_BASE_URL} set (MCP clients find the identity provider through it). */
    void requireCompleteJwt() {
        jwt.requireComplete();
        if (publicBase() == null) {
            throw new IllegalStateException("PUBLIC_BASE_URL must be set when JWTs are on: a 401 tells clients where the "
                    + "protected-resource metadata is (RFC 9728), and that address must not come from the request's Host");
        }
    }

    /**
     * JWTs are on when {@code issuerUri} or {@code jwkSetUri} is set; then {@code issuerUri} (the
     * {@code iss} every token must carry, and where the JWK set is discovered unless {@code jwkSetUri}
     * names it) and {@code audience} (the {@code aud} every token must carry) are both required.
     * {@code requireRole} (default true): refuse a token whose roles claim names no known role; false treats
     * its bearer as a {@code user} (for providers that send no roles to plain users). {@code issuerTag}
     * ({@code OIDC_ISSUER_TAG}): the short name token owners carry ({@code jwt:<tag>:<subject>}), else a hash of
     * {@code issuerUri} (see {@link OwnerId#issuerTag}).
     */
    public record Jwt(String issuerUri, String jwkSetUri, String audience,
                      @DefaultValue("roles") String rolesClaim,
                      @DefaultValue("sub") String principalClaim,
                      @DefaultValue("email") String emailClaim,
                      @DefaultValue("true") boolean requireRole,
                      String issuerTag) {

        public boolean configured() {
            return hasText(issuerUri) || hasText(jwkSetUri);
        }

        /** The tag of this provider's owner ids; a malformed {@code OIDC_ISSUER_TAG} refuses to start. */
        String ownerIssuerTag() {
            try {
                return OwnerId.issuerTag(issuerTag, issuerUri);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** Refuses to start with JWTs half configured: a token must always be checked for issuer and audience. */
        void requireComplete() {
            if (!hasText(issuerUri)) {
                throw new IllegalStateException("OIDC_ISSUER_URI must be set when JWTs are on (OIDC_JWK_SET_URI is set): "
                        + "every token's issuer is checked against it");
            }
            if (!hasText(audience)) {
                throw new IllegalStateException("OIDC_AUDIENCE must be set when JWTs are on (OIDC_ISSUER_URI or "
                        + "OIDC_JWK_SET_URI is set): every token's audience is checked against it, so a token the same "
                        + "provider issued for another application is refused");
            }
            ownerIssuerTag();
        }
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
