package dev.agentapi.taskade;

import dev.agentapi.health.ComponentHealth;
import dev.agentapi.health.HealthChecks;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Taskade as the readiness report shows it ({@code taskade_api}); it never decides readiness. One real
 * {@code GET /workspaces}, bounded by the health timeout and reused for {@code agent-api.taskade.health-ttl}
 * (Taskade's quota is not spent on probes); while the breaker is open, no call at all.
 */
@Component
public class TaskadeHealth implements ComponentHealth {

    private final TaskadeClient taskade;
    private final Supplier<String> reachable;

    public TaskadeHealth(TaskadeClient taskade, TaskadeProperties properties, HealthChecks checks) {
        this.taskade = taskade;
        this.reachable = checks.cached("taskade_api", properties.healthTtl(), () -> {
            taskade.ping();
            return HEALTHY;
        }, failure -> UNHEALTHY);
    }

    @Override
    public String name() {
        return "taskade_api";
    }

    @Override
    public Map<String, Object> check() {
        Map<String, Object> report = new LinkedHashMap<>();
        if (!taskade.configured()) {
            report.put("status", NOT_CONFIGURED);
            return report;
        }
        CircuitBreaker.State state = taskade.breakerState();
        report.put("status", state == CircuitBreaker.State.OPEN ? UNHEALTHY : reachable.get());
        report.put("circuit_breaker", state.name().toLowerCase());
        return report;
    }
}
