package dev.agentapi.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Makes bounded, cached checks and counts how often each really runs
 * ({@code health_checks_total{component}}), so probe cost is observable.
 */
@Component
public class HealthChecks implements DisposableBean {

    private final HealthProperties properties;
    private final MeterRegistry meters;
    private final SimpleAsyncTaskExecutor executor;

    /**
     * Checks run on Boot's simple executor (virtual threads where {@code spring.threads.virtual.enabled} takes
     * effect): a thread per check that is really run, which the cache keeps to a handful, never queued behind
     * other work, so a hung check cannot delay another one's timeout.
     */
    public HealthChecks(HealthProperties properties, MeterRegistry meters, SimpleAsyncTaskExecutorBuilder executors) {
        this.properties = properties;
        this.meters = meters;
        this.executor = executors.threadNamePrefix("health-check-").build();
        this.executor.setDaemon(true);
    }

    public <T> Supplier<T> cached(String component, Supplier<T> check, Function<Throwable, T> onFailure) {
        return cached(component, properties.cacheTtl(), check, onFailure);
    }

    /** As above, reused for {@code ttl}: a check that costs a third party's quota runs less often than a probe asks. */
    public <T> Supplier<T> cached(String component, java.time.Duration ttl, Supplier<T> check, Function<Throwable, T> onFailure) {
        Counter runs = Counter.builder("health_checks").tag("component", component)
                .description("Component health checks actually executed").register(meters);
        Supplier<T> counted = () -> {
            runs.increment();
            return check.get();
        };
        return new CachedCheck<>(counted, onFailure, ttl, properties.timeout(), executor,
                Clock.systemUTC())::get;
    }

    @Override
    public void destroy() {
        executor.close();
    }
}
