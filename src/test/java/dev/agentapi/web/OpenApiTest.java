package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class OpenApiTest {

    /**
     * The copy the generated client in the test suite is built from (openapi-generator-maven-plugin). Regenerate
     * it after a change to the API with
     * {@code ./mvnw verify -Dtest=OpenApiTest -Dsurefire.failIfNoSpecifiedTests=false -Dagent-api.openapi.write=true}.
     */
    static final Path COMMITTED = Path.of("src/test/resources/openapi/agent-api.json");

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
    void theCommittedDocumentIsTheServedOne() throws Exception {
        JsonNode served = spec();
        if (Boolean.getBoolean("agent-api.openapi.write")) {
            Files.writeString(COMMITTED, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(served) + "\n");
        }
        JsonNode committed = JsonMapper.builder().build().readTree(Files.readString(COMMITTED));
        assertThat(committed).as("src/test/resources/openapi/agent-api.json is /v3/api-docs (regenerate it: see COMMITTED)")
                .isEqualTo(served);
    }

    @Test
    void operationIdsSayWhatTheyDo() {
        List<String> ids = new ArrayList<>();
        spec().get("paths").values().forEach(path -> path.values().forEach(operation -> ids.add(operation.get("operationId").asString())));
        assertThat(ids).containsExactlyInAnyOrder("createAgent", "listAgents", "getAgent", "updateAgent", "deleteAgent",
                "runAgentAction", "getAgentState", "replaceAgentState", "deleteAgentState", "queueTask", "listTasks", "getTask", "getTaskStepResult", "cancelTask", "claimTask",
                "heartbeatTask", "completeTask", "failTask", "listAuditEntries", "listTaskadeWorkspaces", "listTaskadeProjects",
                "createTaskadeProject", "listTaskadeTasks", "createTaskadeTask", "getHealth", "getHealthLive", "getHealthReady",
                "probeLiveness", "probeReadiness", "watchAgent", "getAgentTakeover", "takeOverAgent", "sendAgentInput", "releaseAgent",
                "startAgentTrace", "stopAgentTrace", "downloadAgentTrace", "downloadTaskTrace");
    }

    @Test
    void eachTagIsDeclaredOnce() {
        List<String> tags = spec().get("tags").valueStream().map(tag -> tag.get("name").asString()).toList();
        assertThat(tags).doesNotHaveDuplicates();
    }

    @Test
    void schemasNameFieldsAsTheWireDoes() {
        JsonNode schemas = spec().get("components").get("schemas");
        assertThat(schemas.get("CreateAgentRequest").get("properties").propertyNames()).contains("agent_id", "user_agent")
                .doesNotContain("agentId");
        assertThat(schemas.get("QueueTaskRequest").get("properties").propertyNames()).contains("task_type", "max_attempts");
        assertThat(schemas.get("TaskHeartbeatRequest").get("properties").propertyNames()).containsExactly("lease_token");
        assertThat(schemas.get("AgentListItem").get("properties").propertyNames()).doesNotContain("config");
        assertThat(schemas.get("QueuedTask").get("properties").get("payload").has("properties"))
                .as("a JsonNode field is free-form JSON, not Jackson's node bean").isFalse();
        assertThat(schemas.has("QueuedTask") && schemas.has("TaskadeTask")).as("the two task views are told apart").isTrue();
        JsonNode actions = schemas.get("BrowserAction");
        assertThat(actions.get("discriminator").get("propertyName").asString()).isEqualTo("type");
        assertThat(actions.get("discriminator").get("mapping").get("navigate").asString()).isEqualTo("#/components/schemas/NavigateAction");
        assertThat(schemas.get("NavigateAction").get("required").valueStream().map(JsonNode::asString)).contains("type", "url");
        assertThat(schemas.get("ScreenshotActionResult").get("properties").get("screenshot").get("format").asString()).isEqualTo("byte");
        assertThat(schemas.get("Problem").get("properties").propertyNames()).contains("errors", "error").doesNotContain("properties");
    }

    @Test
    void aRecordThatMayBeNullIsStillAnObject() {
        JsonNode schemas = spec().get("components").get("schemas");
        schemas.properties().forEach(schema -> {
            if (schema.getValue().has("properties")) {
                assertThat(schema.getValue().path("type").toString()).as(schema.getKey() + " with properties is typed").isNotEqualTo("\"null\"");
            }
        });
        assertThat(schemas.get("AgentStateSkip").get("type").valueStream().map(JsonNode::asString)).containsExactly("object", "null");
    }

    @Test
    void binaryAnswersAreBinary() {
        JsonNode ok = spec().get("paths").get("/api/agents/browser/{agentId}/actions").get("post").get("responses").get("200").get("content");
        assertThat(ok.get("image/png").get("schema").get("format").asString()).isEqualTo("binary");
        assertThat(ok.get("application/pdf").get("schema").get("format").asString()).isEqualTo("binary");
        assertThat(ok.get("application/json").get("schema").get("$ref").asString()).isEqualTo("#/components/schemas/ActionResult");
    }

    @Test
    void theLiveViewIsAnEventStreamWithItsRefusals() {
        JsonNode spec = spec();
        String path = "/api/agents/browser/{agentId}/live";
        JsonNode live = spec.get("paths").get(path).get("get");
        assertThat(live.get("responses").get("200").get("content").has("text/event-stream")).isTrue();
        assertThat(live.get("responses").propertyNames()).contains("401", "404", "409", "429", "503");
        assertProblemJson(response(spec, path, "get", "409"));
        assertThat(live.get("description").asString()).contains("live-viewers-per-agent", "live-viewers-per-caller");
    }

    @Test
    void swaggerUiIsServed() {
        Api.Response ui = new Api(port).get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger");
    }
}
