package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** BROWSER_MAX_PER_OWNER: one owner cannot hold every browser; beyond the quota a launch answers 429. */
class BrowserQuotaTest {

    static void quotaOfOne(DynamicPropertyRegistry registry, boolean launchOnCreate) {
        String database = TestDatabase.create(); // its own: the quota counts every agent of an owner
        registry.add("agent-api.database.url", () -> database);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.executable-path", () -> RequiresChromium.EXECUTABLE);
        registry.add("agent-api.browser.launch-on-create", () -> String.valueOf(launchOnCreate));
        registry.add("agent-api.browser.max-browsers", () -> "3");
        registry.add("agent-api.browser.max-per-owner", () -> "1");
    }

    static String newId() {
        return "quota-" + UUID.randomUUID();
    }

    static Api.Response create(Api caller, String id) {
        return caller.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
    }

    static void assertQuotaExceeded(Api.Response refused) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotBlank();
        JsonNode body = refused.json();
        assertThat(body.get("error").asString()).isEqualTo("Browser quota exceeded");
        assertThat(body.get("message").asString()).contains("BROWSER_MAX_PER_OWNER=1");
        assertThat(body.get("retry_after").asLong()).isPositive();
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(body.get("title").asString()).isEqualTo("Too Many Requests");
    }

    @Nested
    @ExtendWith({RequiresPostgres.class, RequiresChromium.class})
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @DirtiesContext // its own database and context, closed after use to free connections and browsers
    class OnCreate {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            quotaOfOne(registry, true);
        }

        @LocalServerPort
        int port;

        @Test
        void aSecondBrowserOfOneOwnerIsRefusedAndNothingIsStored() {
            Api alice = new Api(port, TestKeys.ALICE);
            Api bob = new Api(port, TestKeys.BOB);
            String first = newId();
            String second = newId();
            String bobs = newId();
            try {
                assertThat(create(alice, first).json().get("status").asString()).isEqualTo("running");

                assertQuotaExceeded(create(alice, second));
                assertThat(alice.get("/api/agents/browser/" + second).status()).as("nothing stored").isEqualTo(404);
                assertThat(create(bob, bobs).json().get("status").asString()).as("another owner is not affected").isEqualTo("running");

                assertThat(alice.delete("/api/agents/browser/" + first).status()).isEqualTo(200);
                assertThat(create(alice, second).json().get("status").asString()).as("a deleted agent frees its place").isEqualTo("running");
            } finally {
                alice.delete("/api/agents/browser/" + first);
                alice.delete("/api/agents/browser/" + second);
                bob.delete("/api/agents/browser/" + bobs);
            }
        }
    }

    @Nested
    @ExtendWith({RequiresPostgres.class, RequiresChromium.class})
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    @DirtiesContext // its own database and context, closed after use to free connections and browsers
    class OnRelaunch {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            quotaOfOne(registry, false);
        }

        @LocalServerPort
        int port;

        @Test
        void anActionThatWouldLaunchASecondBrowserIsRefused() {
            Api alice = new Api(port, TestKeys.ALICE);
            String first = newId();
            String second = newId();
            try {
                assertThat(create(alice, first).status()).isEqualTo(201);
                assertThat(create(alice, second).status()).as("stored without a browser").isEqualTo(201);
                Map<String, String> content = Map.of("type", "content");

                assertThat(alice.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status()).isEqualTo(200);
                assertQuotaExceeded(alice.post("/api/agents/browser/" + second + "/actions", Api.json(content)));
                assertThat(alice.post("/api/agents/browser/" + first + "/actions", Api.json(content)).status())
                        .as("the browser already held keeps working").isEqualTo(200);
            } finally {
                alice.delete("/api/agents/browser/" + first);
                alice.delete("/api/agents/browser/" + second);
            }
        }
    }
}
