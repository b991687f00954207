package dev.agentapi.support;

import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run that skipped tests for want of a service (PostgreSQL that asks for a password, no Redis, no
 * Chromium) with one line saying what was skipped and what fixes it, so a green run cannot hide them. Registered
 * with the JUnit Platform through {@code META-INF/services}.
 */
public class SkippedServicesSummary implements TestExecutionListener {

    private final Map<String, Integer> skipped = new TreeMap<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (reason != null && reason.startsWith(RequiredService.SKIPPED)) {
            skipped.merge(reason.substring(RequiredService.SKIPPED.length()), 1, Integer::sum);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipped.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("\nSKIPPED for want of a service: ");
        skipped.forEach((reason, classes) -> line.append(classes).append(classes == 1 ? " test class" : " test classes")
                .append(" (no ").append(reason).append("); "));
        System.out.println(line.substring(0, line.length() - 2) + "\n");
    }
}
