package dev.agentapi.telemetry;

import com.microsoft.applicationinsights.TelemetryClient;
import com.microsoft.applicationinsights.telemetry.ExceptionTelemetry;
import java.util.Map;

/** Sends events and exceptions through the attached Application Insights agent. */
class ApplicationInsightsTelemetry implements Telemetry {

    private final TelemetryClient client = new TelemetryClient();

    @Override
    public void event(String name, Map<String, String> properties) {
        client.trackEvent(name, properties, null);
    }

    @Override
    public void exception(Throwable failure, Map<String, String> properties) {
        ExceptionTelemetry telemetry = new ExceptionTelemetry(failure);
        telemetry.getProperties().putAll(properties);
        client.trackException(telemetry);
    }
}
