package dev.agentapi.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** JWT bearer tokens from any OIDC provider, present only when an issuer or JWK set is configured. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("T(org.springframework.util.StringUtils).hasText('${agent-api.security.jwt.issuer-uri:}') "
        + "or T(org.springframework.util.StringUtils).hasText('${agent-api.security.jwt.jwk-set-uri:}')")
class JwtConfiguration {

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        SecurityProperties.Jwt jwt = properties.jwt();
        properties.requireCompleteJwt();
        NimbusJwtDecoder decoder = SecurityProperties.hasText(jwt.jwkSetUri())
                ? NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build()
                : NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri()).build();
        decoder.setJwtValidator(validator(jwt));
        return decoder;
    }

    /**
     * Every token must name our issuer and our audience and carry an expiry; {@code nbf}, when
     * present, is honoured (both with the default 60 s of clock skew). A token made for another
     * application of the same provider is refused by its audience.
     */
    static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt jwt) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setAllowEmptyExpiryClaim(false);
        return JwtValidators.createDefaultWithValidators(List.of(timestamps,
                new JwtIssuerValidator(jwt.issuerUri()), new JwtAudienceValidator(jwt.audience())));
    }

    @Bean
    Converter<Jwt, AbstractAuthenticationToken> jwtAuthentication(SecurityProperties properties) {
        SecurityProperties.Jwt config = properties.jwt();
        String issuerTag = config.ownerIssuerTag();
        return jwt -> {
            OwnerId principal = principal(jwt, config.principalClaim(), issuerTag)
                    .orElseThrow(() -> new InvalidBearerTokenException("The token names no principal (claim '"
                            + config.principalClaim() + "' or 'sub')"));
            Collection<GrantedAuthority> authorities = authorities(jwt.getClaim(config.rolesClaim()));
            if (authorities.isEmpty()) {
                if (config.requireRole()) {
                    throw new InvalidBearerTokenException("The token grants no known role (claim '" + config.rolesClaim()
                            + "' must name user or admin)");
                }
                authorities = List.of(new SimpleGrantedAuthority(Role.USER.authority()));
            }
            return new JwtAuthenticationToken(jwt, authorities, principal.value());
        };
    }

    /**
     * Who the token speaks for: the configured claim, else {@code sub}, as {@code jwt:<issuer tag>:<value>}, so no API
     * key and no other identity provider's user can be the same owner. A value that cannot make an owner id (blank,
     * too long for the 255 characters stored with its prefix, or holding control characters such as NUL) is no principal.
     */
    static Optional<OwnerId> principal(Jwt jwt, String claim, String issuerTag) {
        return Stream.of(jwt.getClaimAsString(claim), jwt.getSubject())
                .flatMap(value -> ownerId(issuerTag, value).stream()).findFirst();
    }

    private static Optional<OwnerId> ownerId(String issuerTag, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OwnerId.ofJwt(issuerTag, value));
        } catch (IllegalArgumentException unusable) {
            return Optional.empty();
        }
    }

    /** Roles from a list claim or a space-separated string; empty when the token names no known role. */
    static Collection<GrantedAuthority> authorities(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(v -> values.add(String.valueOf(v)));
        } else if (claim instanceof String s) {
            values.addAll(List.of(s.split("[\\s,]+")));
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        values.stream().map(Role::of).flatMap(java.util.Optional::stream).distinct()
                .forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
        return authorities;
    }
}
