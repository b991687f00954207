package dev.agentapi.telemetry;

import dev.agentapi.support.ControllerSliceTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** A {@link ControllerSliceTest}'s telemetry: the service's own configuration (to the log, with no connection string). */
@TestConfiguration(proxyBeanMethods = false)
@Import(TelemetryConfiguration.class)
@EnableConfigurationProperties(TelemetryProperties.class) // a slice leaves @ConfigurationPropertiesScan's records out
public class TelemetrySlice {
}
