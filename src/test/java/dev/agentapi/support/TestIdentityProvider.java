package dev.agentapi.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * An OIDC identity provider for tests: a key pair made at test time, its public JWK set served over
 * real HTTP, and JWTs signed with it. The contexts of {@link JwtIntegrationTest} share {@link #shared() one} for the
 * whole test run; a test that starts a service of its own starts one and closes it after use.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String ISSUER = "https://issuer.test/tenant";
    public static final String AUDIENCE = "api://agent-api-test";

    private final RSAKey signingKey = rsaKey("k1");
    private final HttpServer jwks;

    private TestIdentityProvider() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
    }

    public static TestIdentityProvider start() throws IOException {
        return new TestIdentityProvider();
    }

    private static TestIdentityProvider shared;

    /** The provider of this test run's {@link JwtIntegrationTest} contexts, started on first use, stopped when the JVM exits. */
    public static synchronized TestIdentityProvider shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new IllegalStateException("Test identity provider: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Where the service under test says clients reach it (PUBLIC_BASE_URL), which JWTs require; no request's Host. */
    public static final String PUBLIC_BASE_URL = "https://agents.example.test";

    /** Points the service at this provider, as OIDC_ISSUER_URI, OIDC_JWK_SET_URI, OIDC_AUDIENCE and PUBLIC_BASE_URL would. */
    public Map<String, Object> properties() {
        return Map.of("agent-api.security.jwt.issuer-uri", ISSUER, "agent-api.security.jwt.jwk-set-uri", jwkSetUri(),
                "agent-api.security.jwt.audience", AUDIENCE, "agent-api.security.public-base-url", PUBLIC_BASE_URL);
    }

    /**
     * The owner id the service gives this provider's {@code subject}: {@code jwt:<issuer tag>:<subject>}, the tag being
     * the first 12 hex characters of SHA-256({@link #ISSUER}) as no OIDC_ISSUER_TAG is set (written out, not computed
     * with the service's code, so a change of the tag shows).
     */
    public static String ownerId(String subject) {
        return "jwt:c4bda3f5b177:" + subject;
    }

    public String jwkSetUri() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
    }

    public RSAKey signingKey() {
        return signingKey;
    }

    /** A valid token from this provider. */
    public String token(String subject, List<String> roles, Instant expires) {
        return token(signingKey, ISSUER, subject, roles, expires);
    }

    /** A token signed with any key and naming any issuer, to make invalid ones. */
    public static String token(RSAKey key, String issuer, String subject, List<String> roles, Instant expires) {
        return sign(key, claims(issuer, subject, roles).expirationTime(Date.from(expires)).build());
    }

    /** The claims of a valid token but its expiry, to build variants from. */
    public static JWTClaimsSet.Builder claims(String issuer, String subject, List<String> roles) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer).audience(AUDIENCE).subject(subject).claim("roles", roles).claim("email", subject + "@example.com")
                .issueTime(Date.from(Instant.now().minusSeconds(60)));
    }

    /** A token with exactly these claims, signed with the key. */
    public static String sign(RSAKey key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        jwks.stop(0);
    }
}
