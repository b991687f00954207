package dev.agentapi.browser;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

/**
 * Fields of one action that only go together: a {@code tabs} {@code select} needs an {@code index} and only
 * {@code new} takes a {@code url}; a {@code handle_dialog}'s {@code prompt_text} goes with {@code accept: true};
 * {@code cookies} {@code add} needs cookies (each with a {@code url}, or a {@code domain} and a {@code path}) and
 * only {@code add} takes them. Refused under the field that does not fit, like the other constraints.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ActionArguments.Check.class)
public @interface ActionArguments {

    String message() default "fields that do not go together";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ActionArguments, BrowserAction> {

        @Override
        public boolean isValid(BrowserAction action, ConstraintValidatorContext context) {
            if (action instanceof BrowserAction.Tabs tabs && tabs.action() != null) {
                String what = tabs.action().toLowerCase(Locale.ROOT);
                if (what.equals("select") && tabs.index() == null) {
                    return ElementTarget.Check.refuse(context, "index", "select needs the index of the tab (from tabs list)");
                }
                if ((what.equals("list") || what.equals("new")) && tabs.index() != null) {
                    return ElementTarget.Check.refuse(context, "index", "applies to select and close only");
                }
                if (!what.equals("new") && tabs.url() != null) {
                    return ElementTarget.Check.refuse(context, "url", "applies to new only");
                }
            }
            if (action instanceof BrowserAction.HandleDialog dialog && dialog.promptText() != null
                    && !Boolean.TRUE.equals(dialog.accept())) {
                return ElementTarget.Check.refuse(context, "promptText", "applies only when accepting (accept: true)");
            }
            if (action instanceof BrowserAction.Cookies cookies && cookies.action() != null) {
                boolean add = cookies.action().equalsIgnoreCase("add");
                if (add && (cookies.cookies() == null || cookies.cookies().isEmpty())) {
                    return ElementTarget.Check.refuse(context, "cookies", "add needs at least one cookie");
                }
                if (!add && cookies.cookies() != null) {
                    return ElementTarget.Check.refuse(context, "cookies", "applies to add only");
                }
                if (add && cookies.cookies().stream().anyMatch(c -> c != null && c.url() == null && (c.domain() == null || c.path() == null))) {
                    return ElementTarget.Check.refuse(context, "cookies", "each cookie needs a url, or a domain and a path");
                }
            }
            return true;
        }
    }
}
