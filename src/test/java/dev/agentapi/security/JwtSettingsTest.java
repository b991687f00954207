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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** JWTs are all or nothing: half a configuration refuses to start, and roles can be made mandatory. */
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
    void withRolesRequiredATokenNamingNoKnownRoleIsRefused() throws Exception {
        try (TestIdentityProvider provider = TestIdentityProvider.start();
             ConfigurableApplicationContext context = start("issuer-uri=" + TestIdentityProvider.ISSUER,
                     "jwk-set-uri=" + provider.jwkSetUri(), "audience=" + TestIdentityProvider.AUDIENCE, "require-role=true")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Instant later = Instant.now().plusSeconds(300);

            Api.Response roleless = new Api(port, provider.token("hank", List.of("superuser"), later)).get("/api/agents/browser");
            Api.Response noRoles = new Api(port, provider.token("hank", List.of(), later)).get("/api/agents/browser");

            for (Api.Response refused : List.of(roleless, noRoles)) {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
                assertThat(refused.raw().headers().allValues("WWW-Authenticate")).anyMatch(v -> v.contains("invalid_token"));
            }
            assertThat(new Api(port, provider.token("hank", List.of("user"), later)).get("/api/agents/browser").status())
                    .isEqualTo(200);
        }
    }
}
