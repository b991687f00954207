package dev.agentapi.telemetry;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Whether telemetry goes to Azure Monitor. The connection string itself is read by the agent from
 * {@code APPLICATIONINSIGHTS_CONNECTION_STRING}; the service only needs to know it is there, and
 * never logs it.
 */
@ConfigurationProperties(prefix = "agent-api.telemetry")
public record TelemetryProperties(String connectionString, String roleName) {

    public boolean applicationInsightsEnabled() {
        return connectionString != null && !connectionString.isBlank();
    }
}
