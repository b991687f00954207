package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** JWTs are all or nothing: half a configuration refuses to start; roles are mandatory unless said otherwise. */
@ExtendWith(RequiresPostgres.class)
class JwtSettingsTest {

    private static ConfigurableApplicationContext start(String... jwtSettings) {
        return startWith("--agent-api.security.public-base-url=" + TestIdentityProvider.PUBLIC_BASE_URL, jwtSettings);
    }

    private static ConfigurableApplicationContext startWith(String publicBaseUrl, String... jwtSettings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--agent-api.database.url=" + TestDatabase.shared(),
                "--agent-api.security.api-keys=" + TestKeys.property(), publicBaseUrl));
        for (String setting : jwtSettings) {
            args.add("--agent-api.security.jwt." + setting);
        }
        return new SpringApplicationBuilder(AgentApiApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void jwtsWithoutAnAudienceRefuseToStart() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start()) {
            assertThatThrownBy(() -> start("issuer-uri=" + TestIdentityProvider.ISSUER, "jwk-set-uri=" + provider.jwkSetUri()).close())
                    .hasStackTraceContaining("OIDC_AUDIENCE must be set");
        }
    }

    @Test
    void aJwkSetWithoutAnIssuerRefusesToStart() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start()) {
            assertThatThrownBy(() -> start("jwk-set-uri=" + provider.jwkSetUri(), "audience=" + TestIdentityProvider.AUDIENCE).close())
                    .hasStackTraceContaining("OIDC_ISSUER_URI must be set");
        }
    }

    @Test
    void jwtsWithoutAPublicBaseUrlRefuseToStart() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start()) {
            String[] complete = {"issuer-uri=" + TestIdentityProvider.ISSUER, "jwk-set-uri=" + provider.jwkSetUri(),
                    "audience=" + TestIdentityProvider.AUDIENCE};
            assertThatThrownBy(() -> startWith("--agent-api.security.public-base-url=", complete).close())
                    .hasStackTraceContaining("PUBLIC_BASE_URL must be set when JWTs are on");
            assertThatThrownBy(() -> startWith("--agent-api.security.public-base-url=agents.example.test", complete).close())
                    .hasStackTraceContaining("PUBLIC_BASE_URL must be an absolute http(s) URL");
        }
    }

    @Test
    void aMalformedIssuerTagRefusesToStart() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start()) {
            assertThatThrownBy(() -> start("issuer-uri=" + TestIdentityProvider.ISSUER, "jwk-set-uri=" + provider.jwkSetUri(),
                    "audience=" + TestIdentityProvider.AUDIENCE, "issuer-tag=corp:eu").close())
                    .hasStackTraceContaining("OIDC_ISSUER_TAG must be 1 to 32 characters");
        }
    }

    /** Also: a configured issuer tag (OIDC_ISSUER_TAG) names the provider in token owners' ids instead of the issuer's hash. */
    @Test
    void withRolesNotRequiredATokenNamingNoKnownRoleIsAUser() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start();
             ConfigurableApplicationContext context = start("issuer-uri=" + TestIdentityProvider.ISSUER,
                     "jwk-set-uri=" + provider.jwkSetUri(), "audience=" + TestIdentityProvider.AUDIENCE, "require-role=false",
                     "issuer-tag=Corp")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Instant later = Instant.now().plusSeconds(300);

            for (List<String> roles : List.of(List.of("superuser"), List.<String>of())) {
                Api roleless = new Api(port, provider.token("hank", roles, later));
                assertThat(roleless.get("/api/agents/browser").status()).as(roles.toString()).isEqualTo(200);
                assertThat(roleless.get("/api/audit").status()).as("a user, not an admin").isEqualTo(403);
            }
            String id = "tagged-" + UUID.randomUUID();
            Api hank = new Api(port, provider.token("hank", List.of("user"), later));
            assertThat(hank.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
            assertThat(hank.get("/api/agents/browser/" + id).json().get("created_by").asString()).isEqualTo("jwt:corp:hank");
        }
    }
}
