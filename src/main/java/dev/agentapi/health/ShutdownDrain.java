package dev.agentapi.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On shutdown (SIGTERM), readiness turns to 503 first and stays so for the drain delay while the
 * server still serves, so Kubernetes stops routing here before connections are refused. Then the
 * web server's graceful shutdown lets in-flight requests finish within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. (A closed event, not a lifecycle stop: a
 * context that is merely paused must not report itself as going away.)
 */
@Component
public class ShutdownDrain {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final HealthProperties properties;

    public ShutdownDrain(HealthProperties properties) {
        this.properties = properties;
    }

    @EventListener
    public void onClose(ContextClosedEvent event) {
        AvailabilityChangeEvent.publish(event.getApplicationContext(), ReadinessState.REFUSING_TRAFFIC);
        long millis = properties.drainDelay().toMillis();
        if (millis > 0) {
            log.info("Shutting down: readiness is 503; serving for {} ms more before draining", millis);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
