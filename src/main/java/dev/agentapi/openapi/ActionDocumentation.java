package dev.agentapi.openapi;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.agentapi.browser.BrowserAction;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Browser actions as a client generator can build them: a {@code oneOf} whose {@code discriminator} maps each
 * {@code type} to its schema, and each action a flat object naming its own {@code type}. springdoc documents
 * the actions as {@code allOf} the common parent, whose discriminator has no mapping: generated serializers
 * then pick the first schema that fits and send a navigate without its {@code url}. The action types are
 * read from {@link BrowserAction}'s {@code @JsonSubTypes}, the same list Jackson reads requests with.
 */
@Component
@Order(2)
class ActionDocumentation implements OpenApiCustomizer {

    static final String ACTION = "BrowserAction";
    private static final String REFS = "#/components/schemas/";

    @Override
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        if (schemas == null || !schemas.containsKey(ACTION)) {
            return;
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        List<Schema> oneOf = new ArrayList<>();
        for (JsonSubTypes.Type type : BrowserAction.class.getAnnotation(JsonSubTypes.class).value()) {
            String name = schemaName(type.value());
            schemas.put(name, flat(type.name(), schemas.get(name)));
            mapping.put(type.name(), REFS + name);
            oneOf.add(new Schema<>().$ref(REFS + name));
        }
        schemas.put(ACTION, new Schema<>().oneOf(oneOf)
                .discriminator(new Discriminator().propertyName("type").mapping(mapping))
                .description("One action, named by `type`; there is deliberately no way to run arbitrary JavaScript"));
        api.getPaths().values().stream().map(PathItem::getPost).filter(java.util.Objects::nonNull)
                .filter(post -> post.getRequestBody() != null && post.getRequestBody().getContent() != null)
                .flatMap(post -> post.getRequestBody().getContent().values().stream())
                .filter(media -> media.getSchema() != null && media.getSchema().getOneOf() != null
                        && media.getSchema().getOneOf().stream().anyMatch(s -> oneOf.stream().anyMatch(o -> o.get$ref().equals(((Schema<?>) s).get$ref()))))
                .forEach(media -> media.setSchema(new Schema<>().$ref(REFS + ACTION)));
    }

    private static String schemaName(Class<?> action) {
        io.swagger.v3.oas.annotations.media.Schema schema = action.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
        if (schema == null || schema.name().isBlank()) {
            throw new IllegalStateException(action.getName() + " needs @Schema(name = \"...Action\") to be documented");
        }
        return schema.name();
    }

    /** springdoc's {@code allOf: [BrowserAction, {own properties}]}, as one object whose {@code type} is this action's. */
    private static Schema<?> flat(String type, Schema<?> documented) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema()._enum(List.of(type)));
        List<String> required = new ArrayList<>(List.of("type"));
        List<Schema> parts = documented.getAllOf() == null ? List.of(documented) : documented.getAllOf();
        for (Schema<?> part : parts) {
            if (part.getProperties() != null) {
                properties.putAll(part.getProperties());
            }
        }
        if (documented.getRequired() != null) {
            documented.getRequired().stream().filter(name -> !required.contains(name)).forEach(required::add);
        }
        for (Schema<?> part : parts) {
            if (part.getRequired() != null) {
                part.getRequired().stream().filter(name -> !required.contains(name) && properties.containsKey(name)).forEach(required::add);
            }
        }
        Schema<Object> schema = new ObjectSchema();
        schema.setProperties(properties);
        schema.setRequired(required);
        return schema;
    }
}
