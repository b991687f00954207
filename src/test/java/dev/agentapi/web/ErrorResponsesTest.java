package dev.agentapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ErrorResponsesTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.has("title")).isTrue();
        assertThat(body.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "SQL", "org.hibernate", "java.");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(api.post("/api/agents/browser", "{\"agent_id\": "), 400);
        assertProblem(api.post("/api/agents/browser", "[1,2"), 400);
        assertProblem(api.post("/api/agents/browser", ""), 400);
    }

    @Test
    void validationFailuresName400FieldByField() {
        Api.Response response = api.post("/api/agents/browser", Api.json(Map.of(
                "agent_id", "has space/and slash", "channel", "netscape",
                "viewport", Map.of("width", 99, "height", 10001))));

        assertProblem(response, 400);
        JsonNode errors = response.json().get("errors");
        assertThat(errors.has("agent_id")).isTrue();
        assertThat(errors.has("channel")).isTrue();
        assertThat(errors.has("viewport.width")).isTrue();
        assertThat(errors.has("viewport.height")).isTrue();
    }

    @Test
    void wrongTypesAndBadNestedValuesAre400() {
        Api.Response wrongType = api.post("/api/agents/browser", "{\"headless\": \"yes\"}");
        assertProblem(wrongType, 400);
        assertThat(wrongType.json().get("errors").has("headless")).isTrue();

        Api.Response nestedChannel = api.post("/api/agents/browser", "{\"config\": {\"channel\": \"lynx\"}}");
        assertProblem(nestedChannel, 400);
        assertThat(nestedChannel.json().get("errors").has("config.channel")).isTrue();

        assertProblem(api.post("/api/agents/browser", "{\"config\": [1,2,3]}"), 400);
        assertProblem(api.post("/api/agents/browser", "{\"agent_id\": \"" + "x".repeat(256) + "\"}"), 400);
    }

    @Test
    void configOver16KiBIs400AndNothingIsStored() {
        long before = jdbc.queryForObject("select count(*) from browser_agents", Long.class);
        String id = "big-config-" + System.nanoTime();
        Api.Response response = api.post("/api/agents/browser",
                Api.json(Map.of("agent_id", id, "config", Map.of("blob", "x".repeat(17 * 1024)))));

        assertProblem(response, 400);
        assertThat(response.json().get("errors").has("config")).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from browser_agents", Long.class)).isEqualTo(before);
    }

    @Test
    void bodyOverOneMebibyteIs413WhetherDeclaredOrChunked() {
        String big = "{\"config\": {\"blob\": \"" + "x".repeat(1_100_000) + "\"}}";
        assertProblem(api.post("/api/agents/browser", big), 413);

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder chunked = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
        assertProblem(api.send(chunked), 413);
    }

    @Test
    void wrongMediaTypeIs415AndWrongMethod405() {
        HttpRequest.Builder text = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"));
        assertProblem(api.send(text), 415);

        HttpRequest.Builder put = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"));
        assertProblem(api.send(put), 405);
    }

    @Test
    void oddPathsAndQueriesNeverLeakInternals() {
        Stream.of("/api/agents/browser/' OR 1=1 --".replace(" ", "%20"), "/api/agents/browser/%3Cscript%3E", "/api/nothing-here")
                .forEach(path -> assertProblem(api.get(path), 404));
        Stream.of("/api/agents/browser/..%2F..%2Fetc%2Fpasswd", "/api/agents/browser/%2e%2e/x", "/api/agents/browser/a%00b")
                .forEach(path -> assertProblem(api.get(path), 400));
        assertProblem(api.get("/api/audit?from=yesterday"), 400);
    }

    @Test
    void bodiesNestedDeeperThanTheParserAllowsAre400() {
        api.post("/api/agents/browser", "{\"agent_id\": \"deep-target\"}");
        for (int depth : new int[] {501, 600, 5_000}) {
            String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            Map<String, Api.Response> responses = Map.of(
                    "create", api.post("/api/agents/browser", "{\"config\": " + deep + "}"),
                    "patch", api.patch("/api/agents/browser/deep-target", "{\"config\": " + deep + "}", Map.of()),
                    "action", api.post("/api/agents/browser/deep-target/actions",
                            "{\"type\": \"navigate\", \"url\": \"https://example.com\", \"extra\": " + deep + "}"));

            responses.forEach((what, response) -> {
                assertProblem(response, 400);
                assertThat(response.json().get("detail").asString()).as("%s at depth %d", what, depth).contains("nested too deeply");
            });
        }
    }

    @Test
    void unparseableAcceptIs406ProblemAndStoresNothing() {
        for (String accept : new String[] {";;;", "garbage/", "*/*;q=abc", "text/html;;=x"}) {
            String id = "bad-accept-" + System.nanoTime();
            Api.Response create = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                    .header("Content-Type", "application/json").header("Accept", accept).header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\": \"" + id + "\"}")));
            Api.Response missing = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser/" + id)).header("Accept", accept));

            assertProblem(create, 406);
            assertProblem(missing, 406);
            assertThat(create.json().get("detail").asString()).as(accept).contains("Accept");
            assertThat(jdbc.queryForObject("select count(*) from browser_agents where id = ?", Long.class, id)).isZero();
        }
    }
}
