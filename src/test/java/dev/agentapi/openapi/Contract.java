package dev.agentapi.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.net.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published document as a judge of real exchanges: a request body must satisfy its operation's schema
 * before it is sent, and an answer must be documented for its operation and status, in a documented media
 * type, with every required header, and a body its schema accepts. Objects are judged closed (a property the
 * document does not name fails), so an undocumented field in an answer is caught like a missing one.
 */
final class Contract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BASE = "https://agent-api.test/openapi.json";

    private final JsonNode document;
    private final SchemaRegistry schemas;
    /** operationId → the statuses an answer was judged for. */
    private final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();

    Contract(String documentJson) {
        this.document = JSON.readTree(documentJson);
        JsonNode closed = JSON.readTree(documentJson);
        close(closed);
        String text = JSON.writeValueAsString(closed);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(BASE, text)));
    }

    JsonNode document() {
        return document;
    }

    /** Every operation id, with its method and path. */
    Map<String, Operation> operations() {
        Map<String, Operation> operations = new java.util.TreeMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method ->
                operations.put(method.getValue().get("operationId").asString(), new Operation(method.getKey(), path.getKey()))));
        return operations;
    }

    record Operation(String method, String path) {
        String pointer() {
            return "/paths/" + escape(path) + "/" + method;
        }
    }

    Map<String, Set<Integer>> seen() {
        return seen;
    }

    /** The body, once the operation's request schema accepts it. */
    String request(String operationId, Object body) {
        String json = body instanceof String text ? text : JSON.writeValueAsString(body);
        Operation operation = operation(operationId);
        JsonNode content = document.at(operation.pointer() + "/requestBody/content");
        assertThat(content.has("application/json")).as(operationId + " takes a JSON body").isTrue();
        assertValid(operation.pointer() + "/requestBody/content/application~1json/schema", JSON.readTree(json),
                operationId + " request " + json);
        return json;
    }

    /** Judges one answer of {@code operationId}; {@code body} may be null for a binary answer (its type is judged). */
    void answer(String operationId, int status, HttpHeaders headers, String body) {
        Operation operation = operation(operationId);
        String pointer = operation.pointer() + "/responses/" + status;
        JsonNode response = document.at(pointer);
        assertThat(response.isMissingNode()).as(operationId + " documents status " + status + " (answered " + body + ")").isFalse();
        if (response.has("$ref")) {
            pointer = response.get("$ref").asString().substring(1);
            response = document.at(pointer);
        }
        String where = operationId + " " + status;
        response.path("headers").properties().forEach(header -> {
            JsonNode declared = header.getValue().has("$ref")
                    ? document.at(header.getValue().get("$ref").asString().substring(1)) : header.getValue();
            if (declared.path("required").asBoolean(false)) {
                assertThat(headers.firstValue(header.getKey())).as(where + " carries " + header.getKey()).isPresent();
            }
        });
        JsonNode content = response.get("content");
        if (content == null) {
            assertThat(body == null || body.isEmpty()).as(where + " has no body").isTrue();
            seen.computeIfAbsent(operationId, id -> ConcurrentHashMap.newKeySet()).add(status);
            return;
        }
        String type = headers.firstValue("Content-Type").orElse("").split(";")[0].trim();
        assertThat(content.propertyNames()).as(where + " documents its Content-Type").contains(type);
        if (type.endsWith("json")) {
            assertValid(pointer + "/content/" + escape(type) + "/schema", JSON.readTree(body), where + " answer " + body);
        }
        seen.computeIfAbsent(operationId, id -> ConcurrentHashMap.newKeySet()).add(status);
    }

    private Operation operation(String operationId) {
        Operation operation = operations().get(operationId);
        assertThat(operation).as("operation " + operationId + " is documented").isNotNull();
        return operation;
    }

    private void assertValid(String pointer, JsonNode value, String what) {
        List<Error> errors = schemas.getSchema(SchemaLocation.of(BASE + "#" + pointer)).validate(value);
        assertThat(errors).as(what).isEmpty();
    }

    /** No property beyond those named, wherever a schema names properties and says nothing about others. */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.get("properties").isObject() && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> values = object.values().iterator(); values.hasNext(); ) {
                close(values.next());
            }
        } else if (node != null && node.isArray()) {
            node.values().forEach(Contract::close);
        }
    }

    static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }
}
