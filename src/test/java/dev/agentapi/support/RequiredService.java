package dev.agentapi.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** A service tests need: present, skipped with a visible reason, or (under {@code CI=true}) a failure. */
final class RequiredService {

    private RequiredService() {
    }

    static ConditionEvaluationResult evaluate(String what, boolean reachable) {
        if (reachable) {
            return ConditionEvaluationResult.enabled(what + " reachable");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but no " + what);
        }
        return ConditionEvaluationResult.disabled("SKIPPED: no " + what);
    }
}
