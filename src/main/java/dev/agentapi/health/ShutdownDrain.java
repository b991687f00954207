package dev.agentapi.health;

import dev.agentapi.LifecyclePhases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown (SIGTERM) Boot itself turns readiness to 503 (the web server context publishes
 * {@code REFUSING_TRAFFIC} before it closes), and its graceful shutdown then lets in-flight requests
 * finish within {@code spring.lifecycle.timeout-per-shutdown-phase}. What Boot does not do, and this
 * does: keep serving for the drain delay in between. Without it the server stops taking connections
 * at once, while Kubernetes still routes new requests here until it has seen the 503 (a preStop sleep
 * would do the same, but only where the pod spec carries one).
 * <p>
 * The first phase to stop ({@link LifecyclePhases#DRAIN}), and not pauseable: a context that is merely
 * paused (a cached test context, say) keeps serving and must not drain.
 */
@Component
public class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final HealthProperties properties;
    private volatile boolean running;

    public ShutdownDrain(HealthProperties properties) {
        this.properties = properties;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
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

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.DRAIN;
    }
}
