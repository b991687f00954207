package dev.agentapi.browser;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code wait_for} waits for exactly one thing: an element ({@code selector} or {@code ref}, which
 * {@link ElementTarget} keeps to one of them), a {@code text} to appear, a {@code text_gone} to go, or a
 * {@code time}; and {@code state} only with an element. Nothing given is refused under {@code selector}, as
 * a missing element was before the other kinds existed; a second kind under its own field.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = WaitKind.Check.class)
public @interface WaitKind {

    String message() default "wait for one thing";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<WaitKind, BrowserAction.WaitFor> {

        static final String KINDS = "a selector or a ref (an element), text, text_gone or time";

        @Override
        public boolean isValid(BrowserAction.WaitFor wait, ConstraintValidatorContext context) {
            if (wait == null) {
                return true;
            }
            boolean element = wait.selector() != null || wait.ref() != null;
            List<String> given = new ArrayList<>();
            if (element) {
                given.add(wait.ref() != null && wait.selector() == null ? "ref" : "selector");
            }
            if (wait.text() != null) {
                given.add("text");
            }
            if (wait.textGone() != null) {
                given.add("textGone");
            }
            if (wait.time() != null) {
                given.add("time");
            }
            if (given.isEmpty()) {
                return ElementTarget.Check.refuse(context, "selector", "give what to wait for: " + KINDS);
            }
            if (given.size() > 1) {
                return ElementTarget.Check.refuse(context, given.get(1), "wait for one thing: " + KINDS + ", not several");
            }
            if (!element && wait.state() != null) {
                return ElementTarget.Check.refuse(context, "state", "applies to an element: give a selector or a ref with it");
            }
            return true;
        }
    }
}
