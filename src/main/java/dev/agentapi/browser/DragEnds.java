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
 * A drag names both of its elements, each one way ({@link ElementTarget}'s rule twice): the start by
 * {@code start_selector} or {@code start_ref}, the end by {@code end_selector} or {@code end_ref}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DragEnds.Check.class)
public @interface DragEnds {

    String message() default "give where the drag starts and where it ends";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<DragEnds, BrowserAction.Drag> {

        @Override
        public boolean isValid(BrowserAction.Drag drag, ConstraintValidatorContext context) {
            if (drag == null) {
                return true;
            }
            // both checked, so one answer names every end to fix
            boolean start = ElementTarget.Check.valid(drag.startSelector(), drag.startRef(), true, "startSelector", "startRef", context);
            boolean end = ElementTarget.Check.valid(drag.endSelector(), drag.endRef(), true, "endSelector", "endRef", context);
            return start && end;
        }
    }
}
