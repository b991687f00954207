package dev.agentapi.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown (SIGTERM), readiness turns to 503 first and stays so for the drain delay while the
 * server still serves, so Kubernetes stops routing here before connections are refused. Then the
 * web server's graceful shutdown lets in-flight requests finish within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. This lifecycle stops before every other.
 */
@Component
public class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final ApplicationContext context;
    private final HealthProperties properties;
    private volatile boolean running;

    public ShutdownDrain(ApplicationContext context, HealthProperties properties) {
        this.context = context;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        long millis = properties.drainDelay().toMillis();
        if (millis > 0) {
            log.info("Shutting down: readiness is 503; serving for {} ms more before draining", millis);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
