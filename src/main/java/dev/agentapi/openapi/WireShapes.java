package dev.agentapi.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * What the wire does that swagger-core cannot read from the types. Request bodies: the service refuses fields
 * an operation does not know (400), so their schemas allow no other properties. Answers: Jackson writes every
 * property of a record, null or not, so each is {@code required} (a record that leaves nulls out says which
 * are always there itself, with {@code requiredProperties}). A schema used both ways would have to be both:
 * the document is refused instead, so each direction gets its own type. And a 204 or 304 has no body.
 */
@Component
@SuppressWarnings({"unchecked", "rawtypes"})
@Order(Ordered.LOWEST_PRECEDENCE) // last: every other customizer's schemas are in place
class WireShapes implements OpenApiCustomizer {

    private static final String REFS = "#/components/schemas/";

    @Override
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        // springdoc gives every answer the method's return type; a 204 or 304 has no body at all
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getResponses() != null) {
                operation.getResponses().forEach((status, response) -> {
                    if (status.equals("204") || status.equals("304")) {
                        response.setContent(null);
                    }
                });
            }
        }));
        Set<String> requests = new HashSet<>();
        Set<String> answers = new HashSet<>();
        api.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getRequestBody() != null) {
                reach(operation.getRequestBody().getContent(), schemas, requests);
            }
            if (operation.getResponses() != null) {
                operation.getResponses().values().forEach(response -> reach(response.getContent(), schemas, answers));
            }
        }));
        if (api.getComponents().getResponses() != null) {
            api.getComponents().getResponses().values().stream().map(ApiResponse::getContent).forEach(content -> reach(content, schemas, answers));
        }
        Set<String> both = new HashSet<>(requests);
        both.retainAll(answers);
        if (!both.isEmpty()) {
            throw new IllegalStateException("Schemas used in requests and answers alike (give each its own type): " + both);
        }
        requests.stream().map(schemas::get).filter(s -> s.getProperties() != null && s.getAdditionalProperties() == null)
                .forEach(s -> s.setAdditionalProperties(false));
        answers.stream().map(schemas::get).filter(s -> s.getProperties() != null && (s.getRequired() == null || s.getRequired().isEmpty()))
                .forEach(s -> s.setRequired(new ArrayList<>(s.getProperties().keySet())));
        schemas.values().stream().filter(s -> s.getProperties() != null)
                .flatMap(s -> ((Map<String, Schema>) s.getProperties()).values().stream()).forEach(WireShapes::nullInEnum);
        // a record that some @Nullable property refers to comes out of swagger-core typed "null" alone, which refuses
        // the record itself: it is an object, or null where a property allows it
        schemas.values().stream().filter(s -> s.getProperties() != null && Set.of("null").equals(s.getTypes()))
                .forEach(s -> s.setTypes(new LinkedHashSet<>(List.of("object", "null"))));
    }

    /** A nullable enum ({@code type: [string, null]}) must list null among its values too, or null is refused. */
    private static void nullInEnum(Schema<?> property) {
        if (property.getEnum() != null && property.getTypes() != null && property.getTypes().contains("null")
                && !property.getEnum().contains(null)) {
            ((List<Object>) property.getEnum()).add(null);
        }
    }

    private static void reach(Content content, Map<String, Schema> schemas, Set<String> found) {
        if (content != null) {
            content.values().forEach(media -> reach(media.getSchema(), schemas, found));
        }
    }

    private static void reach(Schema<?> schema, Map<String, Schema> schemas, Set<String> found) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null && schema.get$ref().startsWith(REFS)) {
            String name = schema.get$ref().substring(REFS.length());
            if (found.add(name)) {
                reach(schemas.get(name), schemas, found);
            }
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> reach(property, schemas, found));
        }
        reach(schema.getItems(), schemas, found);
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            reach(values, schemas, found);
        }
        for (List<Schema> composed : new List[] {schema.getAllOf(), schema.getOneOf(), schema.getAnyOf()}) {
            if (composed != null) {
                composed.forEach(part -> reach(part, schemas, found));
            }
        }
    }
}
