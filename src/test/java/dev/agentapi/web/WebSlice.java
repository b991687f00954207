package dev.agentapi.web;

import dev.agentapi.support.ControllerSliceTest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@link ControllerSliceTest} takes from {@code web/} beyond what {@code @WebMvcTest} finds by itself (its
 * filters and {@link ApiExceptionHandler}): client addresses, the problem writer the filters answer with, and the
 * strict reading of request bodies (an unknown field is a 400).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ClientAddressResolver.class, ProblemWriter.class, StrictRequestBodies.class})
@EnableConfigurationProperties(WebProperties.class) // a slice leaves @ConfigurationPropertiesScan's records out
public class WebSlice {
}
