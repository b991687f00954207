package dev.agentapi.browser;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Checks an action against its constraints for callers that do not come through a controller's
 * {@code @Valid} (queued tasks, services): the same rules, the same field names clients send. Every caller comes
 * through here (the REST route too, after {@code @Valid}): {@code evaluate} is refused here unless the deployment
 * turned it on ({@code BROWSER_ALLOW_EVALUATE}).
 */
@Component
public class BrowserActionRules {

    private final Validator validator;
    private final boolean evaluateAllowed;

    public BrowserActionRules(Validator validator, BrowserProperties properties) {
        this.validator = validator;
        this.evaluateAllowed = properties.actions().allowEvaluate();
    }

    /** Field (snake_case, as clients send it) to message; empty when the action may run. */
    public Map<String, String> violations(BrowserAction action) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (action == null) {
            errors.put("type", "an action is required");
            return errors;
        }
        if (action instanceof BrowserAction.Evaluate && !evaluateAllowed) {
            errors.put("type", "evaluate is turned off on this deployment (BROWSER_ALLOW_EVALUATE)");
            return errors;
        }
        validator.validate(action).stream()
                .sorted(Comparator.comparing((ConstraintViolation<BrowserAction> v) -> v.getPropertyPath().toString()))
                .forEach(v -> errors.putIfAbsent(snakeCase(v.getPropertyPath().toString()), v.getMessage()));
        return errors;
    }

    private static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
