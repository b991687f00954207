package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class OpenApiTest {

    @LocalServerPort
    int port;

    @Test
    void specDocumentsEveryEndpointWithItsErrors() {
        JsonNode spec = new Api(port).get("/v3/api-docs").json();
        JsonNode paths = spec.get("paths");

        JsonNode collection = paths.get("/api/agents/browser");
        assertThat(collection.get("post").get("responses").propertyNames()).contains("201", "400", "409", "413", "415", "503");
        assertThat(collection.get("get").get("parameters").toString()).contains("status", "page", "size");
        JsonNode item = paths.get("/api/agents/browser/{agentId}");
        assertThat(item.get("get").get("responses").propertyNames()).contains("200", "404");
        assertThat(item.get("patch").get("responses").propertyNames()).contains("200", "404", "409", "412");
        assertThat(item.get("delete").get("responses").propertyNames()).contains("200", "404");
        assertThat(paths.has("/api/audit")).isTrue();
        assertThat(spec.get("components").get("schemas").has("CreateAgentRequest")).isTrue();
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = new Api(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger");
    }
}
