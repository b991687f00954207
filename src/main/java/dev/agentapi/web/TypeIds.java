package dev.agentapi.web;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.exc.InvalidTypeIdException;

/**
 * Explains a polymorphic body whose type id is missing or unknown (Jackson's {@link InvalidTypeIdException}):
 * the property that names the type, and the names it accepts, read from the base type's own annotations.
 */
final class TypeIds {

    private TypeIds() {
    }

    static Map<String, String> errors(InvalidTypeIdException e) {
        Class<?> base = e.getBaseType() == null ? Object.class : e.getBaseType().getRawClass();
        JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
        String property = info == null || info.property().isEmpty() ? "type" : info.property();
        JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
        String known = subtypes == null ? "" : Arrays.stream(subtypes.value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.joining(", ", "; one of ", ""));
        // the client's own value is not echoed: what it sent may be anything
        return Map.of(property, (e.getTypeId() == null ? "is required" : "is not a known " + property) + known);
    }
}
