package dev.agentapi.openapi;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Iterator;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A Jackson 3 {@link JsonNode} field (a task's payload, an audit entry's details) carries whatever JSON
 * the client sent. swagger-core sees a bean with getters ({@code nodeType}, {@code array}, ...) and
 * would document those; here it is the empty schema, which every JSON value satisfies. A field that must
 * be an object says so itself ({@code @Schema(types = "object")}).
 */
@Component
class FreeFormJson implements ModelConverter {

    @Override
    public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        JavaType javaType = Json.mapper().constructType(type.getType());
        if (javaType != null && JsonNode.class.isAssignableFrom(javaType.getRawClass())) {
            return new Schema<>();
        }
        return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    }
}
