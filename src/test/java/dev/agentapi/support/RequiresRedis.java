package dev.agentapi.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips, with a visible reason, when no Redis is there; in CI ({@code CI=true}) fails instead. */
public class RequiresRedis implements ExecutionCondition {

    private static Boolean reachable;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        synchronized (RequiresRedis.class) {
            if (reachable == null) {
                reachable = TestRedis.reachable();
            }
        }
        return RequiredService.evaluate("Redis at TEST_REDIS_URL / 127.0.0.1:6379: set TEST_REDIS_URL=redis://[:PASSWORD@]HOST:6379", reachable);
    }
}
