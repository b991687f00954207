package dev.agentapi.browser;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An action's element is named one way: a {@code selector} or a snapshot's {@code ref}, never both; {@code required}
 * when the action has no page-wide form. A refusal names the field to fix, as a field constraint would: a missing
 * target under {@code selector}, a second one under {@code ref}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ElementTarget.Check.class)
public @interface ElementTarget {

    boolean required() default true;

    String message() default "give a selector or a ref";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ElementTarget, BrowserAction.OnElement> {

        private boolean required;

        @Override
        public void initialize(ElementTarget annotation) {
            required = annotation.required();
        }

        @Override
        public boolean isValid(BrowserAction.OnElement action, ConstraintValidatorContext context) {
            if (action == null) {
                return true;
            }
            boolean selector = action.selector() != null;
            boolean ref = action.ref() != null;
            if (selector && ref) {
                return refuse(context, "ref", "give a selector or a ref, not both");
            }
            if (required && !selector && !ref) {
                return refuse(context, "selector", "give a selector or a ref (from the latest snapshot)");
            }
            return true;
        }

        private static boolean refuse(ConstraintValidatorContext context, String field, String message) {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
            return false;
        }
    }
}
