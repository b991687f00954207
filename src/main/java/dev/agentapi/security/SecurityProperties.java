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

    public record Jwt(String issuerUri, String jwkSetUri,
                      @DefaultValue("roles") String rolesClaim,
                      @DefaultValue("sub") String principalClaim,
                      @DefaultValue("email") String emailClaim) {

        public boolean configured() {
            return hasText(issuerUri) || hasText(jwkSetUri);
        }
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
