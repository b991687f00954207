package dev.agentapi.audit;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.ratelimit.RateLimitRefused;
import dev.agentapi.security.AccessRefused;
import dev.agentapi.security.Actor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refusals in the audit trail: 401 and 403 answers, another owner's agent probed, egress refusals, rate-limit
 * refusals. Each is counted in memory where it happens (nothing on the refused request's path waits for the
 * database, and a flood cannot make one row per request) and written once per window
 * ({@code AUDIT_REFUSAL_WINDOW}, a minute) as one entry per kind, resource and caller: {@code details.count},
 * {@code first_at}, {@code last_at} and up to {@value #SAMPLES} samples. At most {@value #MAX_KEYS} entries
 * per window; refusals beyond are counted in {@code audit.refusals.dropped} only. What is counted when the
 * service stops is written as it stops.
 */
@Component
public class AuditRefusals implements SmartLifecycle {

    static final int MAX_KEYS = 10_000;
    static final int SAMPLES = 5;

    /** One entry of the window: what was refused, which resource, who (by user id and address). */
    private record Key(String eventType, String resourceType, String resourceId, String userId, String ipAddress) {
    }

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final Supplier<Actor> actor;
        final Instant firstAt = Instant.now();
        volatile Instant lastAt = firstAt;
        final List<Map<String, ?>> samples = new ArrayList<>(SAMPLES);

        Tally(Supplier<Actor> actor) {
            this.actor = actor;
        }

        void add(Map<String, ?> sample) {
            count.increment();
            lastAt = Instant.now();
            if (sample != null && !sample.isEmpty()) {
                synchronized (samples) {
                    if (samples.size() < SAMPLES && !samples.contains(sample)) {
                        samples.add(sample);
                    }
                }
            }
        }
    }

    private final AuditTrail trail;
    private final Counter dropped;
    private final AtomicReference<ConcurrentHashMap<Key, Tally>> window = new AtomicReference<>(new ConcurrentHashMap<>());
    private volatile boolean running;

    public AuditRefusals(AuditTrail trail, MeterRegistry meters) {
        this.trail = trail;
        this.dropped = Counter.builder("audit.refusals.dropped")
                .description("Refusals not written to the audit trail: beyond the entries one window may hold").register(meters);
    }

    /**
     * Counts one refusal. {@code actor} says whom the entry is about; it is asked once, when the window is
     * written (so a lookup behind it is paid once per window, not per refusal). {@code sample}: what this one
     * refusal was about (a path, a target), kept for the first few distinct ones.
     */
    public void count(String eventType, String resourceType, String resourceId, String userId, String ipAddress,
                      Supplier<Actor> actor, Map<String, ?> sample) {
        Key key = new Key(eventType, resourceType, resourceId, userId, ipAddress);
        ConcurrentHashMap<Key, Tally> current = window.get();
        Tally tally = current.get(key);
        if (tally == null) {
            if (current.size() >= MAX_KEYS) {
                dropped.increment();
                return;
            }
            tally = current.computeIfAbsent(key, k -> new Tally(actor));
        }
        tally.add(sample);
    }

    @EventListener
    void on(AccessRefused refused) {
        Actor actor = refused.actor();
        boolean unauthenticated = refused.status() == 401;
        count(unauthenticated ? "access.unauthenticated" : "access.denied", "route", refused.method() + " " + refused.route(),
                actor.userId(), actor.ipAddress(), () -> actor, Map.of("status", refused.status(), "reason", refused.reason()));
    }

    @EventListener
    void on(RateLimitRefused refused) {
        String caller = refused.caller();
        boolean user = caller.startsWith("user:");
        String userId = user ? caller.substring(5) : Actor.ANONYMOUS;
        String address = user ? null : caller.substring(caller.indexOf(':') + 1);
        count("rate_limit.refused", "rate_limit_policy", refused.policy(), userId, address,
                () -> new Actor(userId, null, address, null, false), Map.of());
    }

    /** Writes the window that ends now, and starts the next. */
    @Scheduled(fixedDelayString = "${agent-api.audit.refusal-window:60s}", initialDelayString = "${agent-api.audit.refusal-window:60s}")
    public void flush() {
        ConcurrentHashMap<Key, Tally> ended = window.getAndSet(new ConcurrentHashMap<>());
        ended.forEach((key, tally) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("count", tally.count.sum());
            details.put("first_at", tally.firstAt.toString());
            details.put("last_at", tally.lastAt.toString());
            synchronized (tally.samples) {
                if (!tally.samples.isEmpty()) {
                    details.put("samples", List.copyOf(tally.samples));
                }
            }
            trail.recordRefusal(new AuditRecord(key.eventType(), AuditAction.EXECUTE, key.resourceType(), key.resourceId(),
                    details, null, null), tally.actor.get(), "refused");
        });
    }

    @Override
    public void start() {
        running = true;
    }

    /** What the window holds is written before the database goes away. */
    @Override
    public void stop() {
        running = false;
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.AUDIT_REFUSALS;
    }

    /** A paused context (a cached test context) keeps counting. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
