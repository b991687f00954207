package dev.agentapi.agent;

import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.health.HealthChecks;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Heap use, active agents and browser capacity in use; {@code WARNING} above 90 % of the heap. Reported,
 * never deciding readiness ({@code management.endpoint.health.status.order} ranks WARNING below UP).
 */
@Component("memory")
class MemoryHealth implements HealthIndicator {

    static final Status WARNING = new Status("WARNING");
    private static final double WARNING_RATIO = 0.9;
    private static final long MB = 1024 * 1024;

    private final Supplier<Long> activeAgents;
    private final BrowserRuntime browsers;

    MemoryHealth(AgentService agents, BrowserRuntime browsers, HealthChecks checks) {
        this.activeAgents = checks.cached("active_agents", agents::countActive, failure -> -1L);
        this.browsers = browsers;
    }

    @Override
    public Health health() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        double ratio = (double) heap.getUsed() / max;
        long active = activeAgents.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active_agents", active < 0 ? null : active); // null: the database did not answer
        details.put("browsers_in_use", browsers.inUse());
        details.put("browsers_max", browsers.capacity());
        details.put("heap_used_mb", heap.getUsed() / MB);
        details.put("heap_committed_mb", heap.getCommitted() / MB);
        details.put("heap_max_mb", max / MB);
        details.put("heap_usage_percent", Math.round(ratio * 1000) / 10.0);
        return Health.status(ratio < WARNING_RATIO ? Status.UP : WARNING).withDetails(details).build();
    }
}
