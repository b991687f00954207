package dev.agentapi.task;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A task type this service accepts: {@code generic} or one of its handlers' (null: the default). The
 * handlers are beans, so the list is theirs at run time, and the message names it.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AcceptedTaskType.Validator.class)
public @interface AcceptedTaskType {

    String message() default "must be an accepted task type";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Built by Spring's constraint validator factory, so it takes the handlers. */
    class Validator implements ConstraintValidator<AcceptedTaskType, String> {

        private final TaskHandlers handlers;

        Validator(TaskHandlers handlers) {
            this.handlers = handlers;
        }

        @Override
        public boolean isValid(String type, ConstraintValidatorContext context) {
            if (type == null || handlers.acceptedTypes().contains(type)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(escaped("must be one of " + String.join(", ", handlers.acceptedTypes())))
                    .addConstraintViolation();
            return false;
        }

        /** The message is a template: braces, dollars and backslashes in a type name stay literal. */
        private static String escaped(String message) {
            return message.replaceAll("([\\\\{}$])", "\\\\$1");
        }
    }
}
