package dev.agentapi.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code active_agents}: agents whose browser is starting or running, as Prometheus and App Insights see it. */
@Component
class AgentMetrics {

    AgentMetrics(AgentService agents, MeterRegistry meters) {
        Gauge.builder("active_agents", () -> {
                    try {
                        return agents.countActive();
                    } catch (RuntimeException databaseDown) {
                        return Double.NaN;
                    }
                })
                .description("Agents whose browser is starting or running")
                .register(meters);
    }
}
