package dev.agentapi.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On shutdown (SIGTERM) Boot itself turns readiness to 503 (the web server context publishes
 * {@code REFUSING_TRAFFIC} before it closes), and its graceful shutdown then lets in-flight requests
 * finish within {@code spring.lifecycle.timeout-per-shutdown-phase}. What Boot does not do, and this
 * does: keep serving for the drain delay in between. Without it the server stops taking connections
 * at once, while Kubernetes still routes new requests here until it has seen the 503 (a preStop sleep
 * would do the same, but only where the pod spec carries one). A closed event, not a lifecycle stop:
 * a context that is merely paused must not drain.
 */
@Component
public class ShutdownDrain {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final HealthProperties properties;
    private final ApplicationContext context;

    public ShutdownDrain(HealthProperties properties, ApplicationContext context) {
        this.properties = properties;
        this.context = context;
    }

    @EventListener
    public void onClose(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return; // the management context's close reaches this listener too: drain once, for the service's own
        }
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
