package dev.agentapi.support;

import dev.agentapi.ratelimit.RateLimitSlice;
import dev.agentapi.security.SecuritySlice;
import dev.agentapi.telemetry.TelemetrySlice;
import dev.agentapi.web.WebSlice;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextConfiguration;

/**
 * A controller slice ({@code @WebMvcTest}): the named controllers behind the service's real request path, with
 * no database, Redis or browser. In front of them the same filters as in production: request ids, the body
 * limit, the Accept check, the rate limiter (buckets in the process) and Spring Security with the service's
 * own {@code SecurityConfiguration} (API keys from {@link TestKeys}, the access rules, 401/403 as problems);
 * behind them {@code ApiExceptionHandler} and the real JSON mapper. The services a controller calls are the
 * test's {@code @MockitoBean}s. Requests authenticate as a client would, with {@code X-API-Key}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
// @WebMvcTest brings Spring Security's auto-configuration only with Boot's security test module; these are
// what it would import (the filter chain and its servlet filter registration), from spring-boot-security
@ImportAutoConfiguration({SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class})
@Import({SecuritySlice.class, WebSlice.class, RateLimitSlice.class, TelemetrySlice.class,
        ControllerSliceTest.Meters.class})
@ContextConfiguration(initializers = ControllerSliceTest.Keys.class)
public @interface ControllerSliceTest {

    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};

    /** The test run's API keys ({@link TestKeys}), as AGENT_API_KEYS would give them. */
    class Keys implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("agent-api.security.api-keys=" + TestKeys.property()).applyTo(context);
        }
    }

    /** The rate limiter and some controllers count with Micrometer; a slice has no metrics auto-configuration. */
    @TestConfiguration(proxyBeanMethods = false)
    class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
