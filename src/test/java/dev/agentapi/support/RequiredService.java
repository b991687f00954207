package dev.agentapi.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** A service tests need: present, skipped with a visible reason, or (under {@code CI=true}) a failure. */
final class RequiredService {

    /** How a skip's reason starts (SkippedServicesSummary counts them); what follows says what is missing and how to fix it. */
    static final String SKIPPED = "SKIPPED: no ";

    private RequiredService() {
    }

    static ConditionEvaluationResult evaluate(String what, boolean reachable) {
        if (reachable) {
            return ConditionEvaluationResult.enabled(what + " reachable");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but no " + what);
        }
        return ConditionEvaluationResult.disabled(SKIPPED + what);
    }
}
