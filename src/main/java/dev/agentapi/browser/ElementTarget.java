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
 * target under {@code selector}, a second one under {@code ref}. {@code notWith} names a Boolean component of the
 * record that applies to the whole page only (a screenshot's {@code fullPage}): true with an element is refused under it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ElementTarget.Check.class)
public @interface ElementTarget {

    boolean required() default true;

    /** A Boolean record component that may not be true when an element is named; empty for none. */
    String notWith() default "";

    String message() default "give a selector or a ref";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ElementTarget, BrowserAction.OnElement> {

        private boolean required;
        private String notWith;

        @Override
        public void initialize(ElementTarget annotation) {
            required = annotation.required();
            notWith = annotation.notWith();
        }

        @Override
        public boolean isValid(BrowserAction.OnElement action, ConstraintValidatorContext context) {
            if (action == null) {
                return true;
            }
            if (!valid(action.selector(), action.ref(), required, "selector", "ref", context)) {
                return false;
            }
            if (!notWith.isEmpty() && (action.selector() != null || action.ref() != null) && Boolean.TRUE.equals(component(action, notWith))) {
                String field = notWith.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
                return refuse(context, notWith, field + " applies to the whole page: leave it out when naming an element");
            }
            return true;
        }

        private static Object component(Object record, String name) {
            for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
                if (component.getName().equals(name)) {
                    try {
                        return component.getAccessor().invoke(record);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IllegalStateException(record.getClass().getSimpleName() + " has no component " + name);
        }

        /**
         * One element named at most one way (and at least one when {@code required}); a refusal goes under
         * {@code selectorField} (none given) or {@code refField} (both given).
         */
        static boolean valid(String selector, String ref, boolean required, String selectorField, String refField,
                             ConstraintValidatorContext context) {
            if (selector != null && ref != null) {
                return refuse(context, refField, "give a selector or a ref, not both");
            }
            if (required && selector == null && ref == null) {
                return refuse(context, selectorField, "give a selector or a ref (from the latest snapshot)");
            }
            return true;
        }

        static boolean refuse(ConstraintValidatorContext context, String field, String message) {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
            return false;
        }
    }
}
