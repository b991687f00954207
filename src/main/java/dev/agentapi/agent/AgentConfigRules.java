package dev.agentapi.agent;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What a stored agent config may look like beyond its size. Nesting is bounded well below the JSON
 * library's own limit (500), because every response that embeds a config (a list page, an audit
 * entry's old and new values) adds levels of its own and would otherwise fail to render. PostgreSQL
 * refuses NUL characters in {@code jsonb}, so they are refused here, before anything is stored.
 */
final class AgentConfigRules {

    /** The config object itself is level 1. */
    static final int MAX_DEPTH = 32;
    static final String TOO_DEEP = "must not be nested more than " + MAX_DEPTH + " levels deep";
    static final String NUL = "must not contain NUL characters";

    private AgentConfigRules() {
    }

    /** Why {@code config} cannot be stored, if it cannot. */
    static Optional<String> violation(Map<String, Object> config) {
        return config == null ? Optional.empty() : check(config, 1);
    }

    /** Recursion stops at {@link #MAX_DEPTH}, so it is never deeper than that. */
    private static Optional<String> check(Object value, int depth) {
        if (value instanceof String text) {
            return hasNul(text) ? Optional.of(NUL) : Optional.empty();
        }
        if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
            return Optional.empty();
        }
        if (depth > MAX_DEPTH) {
            return Optional.of(TOO_DEEP);
        }
        Collection<?> children = value instanceof Map<?, ?> map ? map.values() : (Collection<?>) value;
        if (value instanceof Map<?, ?> map && map.keySet().stream().anyMatch(key -> hasNul(String.valueOf(key)))) {
            return Optional.of(NUL);
        }
        for (Object child : children) {
            Optional<String> violation = check(child, depth + 1);
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    static boolean hasNul(String text) {
        return text.indexOf('\0') >= 0;
    }
}
