package dev.agentapi.taskade;

import dev.agentapi.health.HealthChecks;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Taskade as health reports show it ({@code taskade}; {@code taskade_api} in the seed's report); it never
 * decides readiness. One real {@code GET /workspaces}, bounded by the health timeout and reused for
 * {@code agent-api.taskade.health-ttl} (Taskade's quota is not spent on probes); while the breaker is open,
 * no call at all. {@code UNKNOWN} when no key is configured.
 */
@Component("taskade")
public class TaskadeHealth implements HealthIndicator {

    private final TaskadeClient taskade;
    private final Supplier<Status> reachable;

    public TaskadeHealth(TaskadeClient taskade, TaskadeProperties properties, HealthChecks checks) {
        this.taskade = taskade;
        this.reachable = checks.cached("taskade_api", properties.healthTtl(), () -> {
            taskade.ping();
            return Status.UP;
        }, failure -> Status.DOWN);
    }

    @Override
    public Health health() {
        if (!taskade.configured()) {
            return Health.unknown().build();
        }
        CircuitBreaker.State state = taskade.breakerState();
        return Health.status(state == CircuitBreaker.State.OPEN ? Status.DOWN : reachable.get())
                .withDetail("circuit_breaker", state.name().toLowerCase())
                .build();
    }
}
