package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class OpenApiTest {

    @LocalServerPort
    int port;

    private JsonNode spec() {
        return Api.anonymous(port).get("/v3/api-docs").json();
    }

    /** A response, its {@code $ref} to {@code #/components/responses/...} followed. */
    private static JsonNode response(JsonNode spec, String path, String method, String status) {
        JsonNode response = spec.get("paths").get(path).get(method).get("responses").get(status);
        assertThat(response).as(method + " " + path + " documents " + status).isNotNull();
        if (response.has("$ref")) {
            String name = response.get("$ref").asString().replace("#/components/responses/", "");
            response = spec.get("components").get("responses").get(name);
            assertThat(response).as("components.responses." + name).isNotNull();
        }
        return response;
    }

    private static void assertProblemJson(JsonNode response) {
        assertThat(response.get("content").has("application/problem+json")).as(response.toString()).isTrue();
    }

    @Test
    void specDocumentsEveryEndpointWithItsErrors() {
        JsonNode spec = spec();
        JsonNode paths = spec.get("paths");

        JsonNode collection = paths.get("/api/agents/browser");
        assertThat(collection.get("post").get("responses").propertyNames()).contains("201", "400", "409", "413", "415", "503");
        assertThat(collection.get("get").get("parameters").toString()).contains("status", "page", "size");
        JsonNode item = paths.get("/api/agents/browser/{agentId}");
        assertThat(item.get("get").get("responses").propertyNames()).contains("200", "404");
        assertThat(item.get("patch").get("responses").propertyNames()).contains("200", "404", "409", "412");
        assertThat(item.get("delete").get("responses").propertyNames()).contains("200", "404");
        assertThat(paths.has("/api/audit")).isTrue();
        assertThat(paths.has("/error")).as("the servlet error page is no API operation").isFalse();
        assertThat(spec.get("components").get("schemas").has("CreateAgentRequest")).isTrue();

        String actions = "/api/agents/browser/{agentId}/actions";
        assertThat(response(spec, actions, "post", "503").get("description").asString()).contains("capacity");
        assertThat(response(spec, actions, "post", "400").get("description").asString()).contains("action");
        assertProblemJson(response(spec, actions, "post", "503"));
        assertProblemJson(response(spec, "/api/audit", "get", "400"));
    }

    @Test
    void apiKeysAreTheDocumentedWaysIn() {
        JsonNode spec = spec();
        JsonNode schemes = spec.get("components").get("securitySchemes");

        assertThat(schemes.get("ApiKey").get("type").asString()).isEqualTo("apiKey");
        assertThat(schemes.get("ApiKey").get("in").asString()).isEqualTo("header");
        assertThat(schemes.get("ApiKey").get("name").asString()).isEqualTo("X-API-Key");
        assertThat(schemes.get("ApiKeyBearer").get("type").asString()).isEqualTo("http");
        assertThat(schemes.get("ApiKeyBearer").get("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.has("BearerJwt")).as("no OIDC issuer configured here").isFalse();
        // any one of them will do: each is a requirement of its own
        assertThat(spec.get("security").valueStream().map(r -> List.copyOf(r.propertyNames())))
                .containsExactlyInAnyOrder(List.of("ApiKey"), List.of("ApiKeyBearer"));
    }

    @Test
    void protectedOperationsDocument401AndAdminOnlyOnes403() {
        JsonNode spec = spec();
        JsonNode paths = spec.get("paths");

        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (path.getKey().startsWith("/api/agents/browser") || path.getKey().startsWith("/api/audit")) {
                assertThat(operation.getValue().has("security")).as("inherits the global requirement").isFalse();
                JsonNode unauthorized = response(spec, path.getKey(), operation.getKey(), "401");
                assertProblemJson(unauthorized);
                assertThat(unauthorized.get("headers").has("WWW-Authenticate")).isTrue();
                JsonNode limited = response(spec, path.getKey(), operation.getKey(), "429");
                assertProblemJson(limited);
                assertThat(limited.get("headers").has("Retry-After")).isTrue();
            }
        }));
        JsonNode forbidden = response(spec, "/api/audit", "get", "403");
        assertProblemJson(forbidden);
        assertThat(forbidden.get("description").asString()).contains("admin");
        assertThat(paths.get("/api/agents/browser").get("get").get("responses").has("403"))
                .as("any user may list their own agents").isFalse();
    }

    @Test
    void probesNeedNoCredentialsAndAreNotLimited() {
        JsonNode paths = spec().get("paths");

        for (String path : new String[] {"/health/live", "/health/ready", "/api/agents/health", "/api/agents/health/ready"}) {
            JsonNode get = paths.get(path).get("get");
            assertThat(get.get("security")).as(path).isNotNull();
            assertThat(get.get("security").isEmpty()).as(path + " overrides the global requirement with none").isTrue();
            assertThat(get.get("responses").propertyNames()).as(path).doesNotContain("401", "403", "429");
        }
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = new Api(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger");
    }
}
