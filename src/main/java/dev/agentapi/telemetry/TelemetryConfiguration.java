package dev.agentapi.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TelemetryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TelemetryConfiguration.class);

    @Bean
    Telemetry telemetry(TelemetryProperties properties) {
        if (properties.applicationInsightsEnabled()) {
            log.info("Telemetry: Application Insights (cloud role {})", properties.roleName());
            return new ApplicationInsightsTelemetry();
        }
        log.info("Telemetry: local logs only (set APPLICATIONINSIGHTS_CONNECTION_STRING for Azure Monitor)");
        return new LogTelemetry();
    }
}
