package dev.agentapi.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with a visible reason, when no PostgreSQL is there for it; in CI
 * ({@code CI=true}) the missing service fails the run instead.
 */
public class RequiresPostgres implements ExecutionCondition {

    private static Boolean reachable;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        synchronized (RequiresPostgres.class) {
            if (reachable == null) {
                reachable = TestDatabase.reachable();
            }
        }
        return RequiredService.evaluate("PostgreSQL at TEST_POSTGRES_URL / 127.0.0.1:5432 that lets this user in and "
                + "create databases: set TEST_POSTGRES_URL=jdbc:postgresql://HOST:5432/postgres?user=USER&password=PASSWORD", reachable);
    }
}
