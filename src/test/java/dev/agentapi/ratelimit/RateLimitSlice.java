package dev.agentapi.ratelimit;

import dev.agentapi.support.ControllerSliceTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** A {@link ControllerSliceTest}'s buckets: the service's own configuration, which without REDIS_URL keeps them in the process. */
@TestConfiguration(proxyBeanMethods = false)
@Import(RateLimitConfiguration.class)
@EnableConfigurationProperties(RateLimitProperties.class) // a slice leaves @ConfigurationPropertiesScan's records out
public class RateLimitSlice {
}
