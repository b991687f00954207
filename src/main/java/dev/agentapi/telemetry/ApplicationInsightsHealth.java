package dev.agentapi.telemetry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether telemetry goes to Azure Monitor ({@code UNKNOWN}: not configured). The agent buffers and
 * retries by itself; it never decides readiness.
 */
@Component("applicationInsights")
class ApplicationInsightsHealth implements HealthIndicator {

    private final TelemetryProperties telemetry;

    ApplicationInsightsHealth(TelemetryProperties telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public Health health() {
        if (!telemetry.applicationInsightsEnabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        return Health.up().withDetail("enabled", true).withDetail("role_name", telemetry.roleName()).build();
    }
}
