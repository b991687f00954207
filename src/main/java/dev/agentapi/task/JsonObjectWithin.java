package dev.agentapi.task;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object (or nothing) the database can store: without NUL (which PostgreSQL's jsonb refuses) and within
 * its configured size ({@code agent-api.tasks.max-metadata} or {@code max-payload}).
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = JsonObjectWithin.Validator.class)
public @interface JsonObjectWithin {

    enum Limit { METADATA, PAYLOAD }

    Limit value();

    String message() default "must be a JSON object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Built by Spring's constraint validator factory, so it takes the configured limits. */
    class Validator implements ConstraintValidator<JsonObjectWithin, JsonNode> {

        private final TaskProperties properties;
        private final JsonMapper json;
        private long maxBytes;

        Validator(TaskProperties properties, JsonMapper json) {
            this.properties = properties;
            this.json = json;
        }

        @Override
        public void initialize(JsonObjectWithin constraint) {
            maxBytes = (constraint.value() == Limit.METADATA ? properties.maxMetadata() : properties.maxPayload()).toBytes();
        }

        @Override
        public boolean isValid(JsonNode value, ConstraintValidatorContext context) {
            if (value == null || value.isNull()) {
                return true;
            }
            if (!value.isObject()) {
                return false;
            }
            String problem = problem(json, value, maxBytes);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }

        /** What keeps {@code value} out of the database (NUL, or more than {@code maxBytes} of JSON); null when nothing. */
        static String problem(JsonMapper json, JsonNode value, long maxBytes) {
            if (containsNul(value)) {
                return "must not contain NUL characters";
            }
            if (json.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                return "must be at most " + maxBytes / 1024 + " KiB of JSON";
            }
            return null;
        }

        private static boolean containsNul(JsonNode node) {
            if (node.isString()) {
                return node.asString().indexOf('\0') >= 0;
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    if (entry.getKey().indexOf('\0') >= 0 || containsNul(entry.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            if (node.isArray()) {
                for (JsonNode item : node) {
                    if (containsNul(item)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

}
