package dev.agentapi.task;

import dev.agentapi.browser.BrowserAction;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the actions endpoint refuses in an action before any browser is involved (missing fields,
 * unknown options, a scheme other than http(s), a non-positive timeout), checked for a whole task
 * at the door. Addresses are still checked by the browser's navigation guard when each step runs.
 */
final class BrowserActionRules {

    private static final Set<String> WAIT_UNTIL = Set.of("load", "domcontentloaded", "networkidle", "commit");
    private static final Set<String> STATES = Set.of("attached", "detached", "visible", "hidden");

    private BrowserActionRules() {
    }

    static Optional<String> violation(BrowserAction action) {
        if (action.timeoutMs() != null && action.timeoutMs() < 1) {
            return Optional.of("timeout_ms must be positive");
        }
        if (action instanceof BrowserAction.Navigate a) {
            if (blank(a.url())) {
                return Optional.of("'url' is required");
            }
            String scheme = a.url().trim().contains(":") ? a.url().trim().substring(0, a.url().trim().indexOf(':')).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.of("only http and https URLs may be opened");
            }
            if (a.waitUntil() != null && !WAIT_UNTIL.contains(a.waitUntil().toLowerCase(Locale.ROOT))) {
                return Optional.of("wait_until must be load, domcontentloaded, networkidle or commit");
            }
        } else if (action instanceof BrowserAction.Click a) {
            return required(a.selector(), "selector");
        } else if (action instanceof BrowserAction.Fill a) {
            return required(a.selector(), "selector");
        } else if (action instanceof BrowserAction.Press a) {
            return required(a.selector(), "selector").or(() -> required(a.key(), "key"));
        } else if (action instanceof BrowserAction.WaitFor a) {
            if (a.state() != null && !STATES.contains(a.state().toLowerCase(Locale.ROOT))) {
                return Optional.of("state must be attached, detached, visible or hidden");
            }
            return required(a.selector(), "selector");
        }
        return Optional.empty();
    }

    private static Optional<String> required(String value, String field) {
        return blank(value) ? Optional.of("'" + field + "' is required") : Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
