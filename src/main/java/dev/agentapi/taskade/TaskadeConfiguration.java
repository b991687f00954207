package dev.agentapi.taskade;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;

/**
 * The Taskade client: Spring's RestClient from Boot's builder (so every call is observed and appears as
 * {@code http.client.requests}) on the JDK HTTP client (which the App Insights agent captures as a
 * dependency), Resilience4j's circuit breaker around each call, Spring's RetryTemplate around reads.
 */
@Configuration(proxyBeanMethods = false)
class TaskadeConfiguration {

    @Bean
    TaskadeClient taskadeClient(TaskadeProperties properties, RestClient.Builder builder, MeterRegistry meters) {
        // made on the first call: a JDK client starts a selector thread and TLS, and many instances never call Taskade
        SingletonSupplier<ClientHttpRequestFactory> requests = SingletonSupplier.of(() -> requestFactory(properties));
        RestClient rest = builder.clone()
                .baseUrl(properties.apiUrl())
                .requestFactory((uri, method) -> requests.obtain().createRequest(uri, method))
                .defaultHeaders(headers -> {
                    if (properties.configured()) {
                        headers.setBearerAuth(properties.apiKey().trim());
                    }
                    headers.set(HttpHeaders.ACCEPT, "application/json");
                })
                .build();
        CircuitBreaker breaker = breaker(properties.breaker());
        Gauge.builder("taskade_circuit_breaker_open", breaker, b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0)
                .description("1 while calls to Taskade are paused after repeated failures").register(meters);
        return new TaskadeClient(properties, rest, breaker, readRetries(properties));
    }

    private static ClientHttpRequestFactory requestFactory(TaskadeProperties properties) {
        // HTTP/1.1: over plain http (stand-ins, staging proxies) the JDK client would otherwise try an h2c
        // upgrade, which some servers answer by resetting the stream; one call at a time gains nothing from HTTP/2
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(properties.readTimeout());
        return requests;
    }

    static CircuitBreaker breaker(TaskadeProperties.Breaker settings) {
        return CircuitBreaker.of("taskade", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                // only outages count: a missing project or a refused title says nothing about Taskade's health
                .recordException(e -> e instanceof TaskadeFailure failure && failure.isOutage())
                .build());
    }

    static RetryTemplate readRetries(TaskadeProperties properties) {
        return new RetryTemplate(RetryPolicy.builder()
                .maxRetries(properties.readRetries())
                .delay(properties.retryDelay())
                .multiplier(2)
                .maxDelay(properties.retryDelay().multipliedBy(8))
                .predicate(e -> e instanceof TaskadeFailure failure && failure.isTransient())
                .build());
    }
}
