package dev.agentapi.security;

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
                                 @DefaultValue List<String> corsAllowedOrigins) {

    /**
     * JWTs are on when {@code issuerUri} or {@code jwkSetUri} is set; then {@code issuerUri} (the
     * {@code iss} every token must carry, and where the JWK set is discovered unless {@code jwkSetUri}
     * names it) and {@code audience} (the {@code aud} every token must carry) are both required.
     * {@code requireRole}: refuse a token whose roles claim names no known role, instead of treating
     * its bearer as a {@code user} (the default, for providers that send no roles to plain users).
     */
    public record Jwt(String issuerUri, String jwkSetUri, String audience,
                      @DefaultValue("roles") String rolesClaim,
                      @DefaultValue("sub") String principalClaim,
                      @DefaultValue("email") String emailClaim,
                      @DefaultValue("false") boolean requireRole) {

        public boolean configured() {
            return hasText(issuerUri) || hasText(jwkSetUri);
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
        }
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
