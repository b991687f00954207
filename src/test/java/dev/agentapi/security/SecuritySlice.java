package dev.agentapi.security;

import dev.agentapi.support.ControllerSliceTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@link ControllerSliceTest} takes from {@code security/}: the service's own filter chains (API keys, the
 * access rules, 401 and 403 as problems) over the configured keys. {@link FirstStartKey}, which reads the keys kept
 * in the database, is left out: a slice has no database.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({SecurityConfiguration.class, ApiKeyStore.class, CurrentActor.class})
@EnableConfigurationProperties(SecurityProperties.class) // a slice leaves @ConfigurationPropertiesScan's records out
public class SecuritySlice {
}
