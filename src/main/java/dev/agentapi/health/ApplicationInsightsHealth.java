package dev.agentapi.health;

import dev.agentapi.telemetry.TelemetryProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Whether telemetry goes to Azure Monitor. The agent buffers and retries by itself; it never decides readiness. */
@Component
public class ApplicationInsightsHealth implements ComponentHealth {

    private final TelemetryProperties telemetry;

    public ApplicationInsightsHealth(TelemetryProperties telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public String name() {
        return "application_insights";
    }

    @Override
    public Map<String, Object> check() {
        Map<String, Object> report = new LinkedHashMap<>();
        boolean enabled = telemetry.applicationInsightsEnabled();
        report.put("status", enabled ? HEALTHY : NOT_CONFIGURED);
        report.put("enabled", enabled);
        if (enabled) {
            report.put("role_name", telemetry.roleName());
        }
        return report;
    }
}
