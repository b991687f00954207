package dev.agentapi.telemetry;

import java.util.Map;

/**
 * What the service tells operators beyond requests, dependencies and logs (which the Application
 * Insights agent collects by itself): named business events and exceptions with context.
 * Metrics go through Micrometer, which both Prometheus and the agent read.
 */
public interface Telemetry {

    void event(String name, Map<String, String> properties);

    void exception(Throwable failure, Map<String, String> properties);
}
