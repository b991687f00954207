package dev.agentapi.health;

import dev.agentapi.agent.AgentService;
import dev.agentapi.browser.BrowserRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** Heap use, active agents and browser capacity in use; reported, never deciding readiness. */
@Component
public class MemoryHealth implements ComponentHealth {

    private static final double WARNING_RATIO = 0.9;
    private static final long MB = 1024 * 1024;

    private final Supplier<Long> activeAgents;
    private final BrowserRuntime browsers;

    public MemoryHealth(AgentService agents, BrowserRuntime browsers, HealthChecks checks) {
        this.activeAgents = checks.cached("active_agents", agents::countActive, failure -> -1L);
        this.browsers = browsers;
    }

    @Override
    public String name() {
        return "memory_state";
    }

    @Override
    public Map<String, Object> check() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        double ratio = (double) heap.getUsed() / max;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", ratio < WARNING_RATIO ? HEALTHY : "warning");
        long active = activeAgents.get();
        report.put("active_agents", active < 0 ? null : active);
        report.put("browsers_in_use", browsers.inUse());
        report.put("browsers_max", browsers.capacity());
        report.put("heap_used_mb", heap.getUsed() / MB);
        report.put("heap_committed_mb", heap.getCommitted() / MB);
        report.put("heap_max_mb", max / MB);
        report.put("heap_usage_percent", Math.round(ratio * 1000) / 10.0);
        return report;
    }
}
