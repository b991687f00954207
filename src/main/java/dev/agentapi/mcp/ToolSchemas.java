package dev.agentapi.mcp;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's JSON Schema read off the record the REST API binds and validates: property names as
 * clients send them (snake_case), types from the components, and limits from the same Bean
 * Validation constraints that refuse a bad value. The schema tells a client what fits; the
 * constraints, checked when the tool runs, stay the one rule that decides.
 */
final class ToolSchemas {

    /** Alternatives the constraint's regular expression spells out, e.g. {@code (?i)load|commit}. */
    private static final java.util.regex.Pattern CHOICES = java.util.regex.Pattern.compile("(\\(\\?i\\))?[a-z_]+(\\|[a-z_]+)*");

    private ToolSchemas() {
    }

    /** An object schema with {@code leading} properties (e.g. the agent id) before the record's own. */
    static Map<String, Object> of(Class<?> type, Map<String, Map<String, Object>> leading, Collection<String> skipped) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        Map<String, Object> properties = new LinkedHashMap<>(leading);
        List<String> required = new ArrayList<>(leading.keySet());
        for (RecordComponent component : type.getRecordComponents()) {
            String name = snakeCase(component.getName());
            if (skipped.contains(name)) {
                continue;
            }
            Method accessor = component.getAccessor();
            properties.put(name, property(component.getType(), component.getGenericType(), accessor));
            if (accessor.isAnnotationPresent(NotBlank.class) || accessor.isAnnotationPresent(NotNull.class)) {
                required.add(name);
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    static Map<String, Object> of(Class<?> type) {
        return of(type, Map.of(), List.of());
    }

    private static Map<String, Object> property(Class<?> type, java.lang.reflect.Type generic, Method accessor) {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (type.isRecord()) {
            schema.putAll(of(type));
        } else {
            String json = jsonType(type);
            if (json != null) {
                schema.put("type", json);
            }
            // a list's items, when their type is a plain one (List<String>) or a record (List<FormField>)
            if ("array".equals(json) && generic instanceof java.lang.reflect.ParameterizedType parameterized
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> item) {
                if (item.isRecord()) {
                    schema.put("items", of(item));
                } else if (jsonType(item) != null) {
                    schema.put("items", Map.of("type", jsonType(item)));
                }
            }
        }
        Schema documented = accessor.getAnnotation(Schema.class);
        if (documented != null && !documented.description().isEmpty()) {
            schema.put("description", documented.description());
        }
        if (accessor.isAnnotationPresent(NotBlank.class)) {
            schema.put("minLength", 1);
        }
        Pattern pattern = accessor.getAnnotation(Pattern.class);
        if (pattern != null) {
            pattern(pattern, schema);
        }
        if (accessor.isAnnotationPresent(Positive.class)) {
            schema.put("minimum", 1);
        }
        Min min = accessor.getAnnotation(Min.class);
        if (min != null) {
            schema.put("minimum", min.value());
        }
        Max max = accessor.getAnnotation(Max.class);
        if (max != null) {
            schema.put("maximum", max.value());
        }
        DecimalMax decimalMax = accessor.getAnnotation(DecimalMax.class);
        if (decimalMax != null) {
            schema.put("maximum", new java.math.BigDecimal(decimalMax.value()));
        }
        Size size = accessor.getAnnotation(Size.class);
        if (size != null && "string".equals(schema.get("type"))) {
            schema.put("minLength", size.min());
            schema.put("maxLength", size.max());
        }
        if (size != null && "array".equals(schema.get("type"))) {
            schema.put("minItems", size.min());
            schema.put("maxItems", size.max());
        }
        return schema;
    }

    /**
     * A choice of words becomes an {@code enum}; another expression a {@code pattern} when JSON Schema
     * (ECMA 262) reads it as Java does, else only its message: the constraint still decides.
     */
    private static void pattern(Pattern pattern, Map<String, Object> schema) {
        String regexp = pattern.regexp();
        if (CHOICES.matcher(regexp).matches()) {
            schema.put("enum", Arrays.asList(regexp.replace("(?i)", "").split("\\|")));
        } else if (!regexp.contains("(?")) {
            schema.put("pattern", regexp);
        } else if (!schema.containsKey("description")) {
            schema.put("description", pattern.message());
        }
    }

    private static String jsonType(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Double.class || type == double.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "object";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        return null; // any JSON value (e.g. a JsonNode payload)
    }

    static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
