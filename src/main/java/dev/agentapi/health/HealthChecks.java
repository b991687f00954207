package dev.agentapi.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Makes bounded, cached checks and counts how often each really runs
 * ({@code health_checks_total{component}}), so probe cost is observable.
 */
@Component
public class HealthChecks implements DisposableBean {

    private final HealthProperties properties;
    private final MeterRegistry meters;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "health-check");
        thread.setDaemon(true);
        return thread;
    });

    public HealthChecks(HealthProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
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
        executor.shutdownNow();
    }
}
