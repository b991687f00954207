package dev.agentapi.agent;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.replica.ReplicaProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps agent leases honest across replicas. The heartbeat renews every lease this replica holds in one
 * statement, every third of the lease TTL, and closes the browsers whose lease it no longer has (taken
 * over after this replica stalled past the TTL, or the agent deleted elsewhere), so one agent never has
 * two browsers for long. The reaper, on every replica, takes back leases nobody renewed: their agents go
 * {@code stopped} ({@code owner_lost}) in the same transaction, and their next action launches them on
 * whichever replica it reaches. At start, only agents whose lease expired (or was held by this replica's
 * previous process, or that have none) are reconciled; agents other replicas hold keep running.
 * <p>
 * Its phase ({@link LifecyclePhases#AGENT_LEASES}) starts it once the server listens (a lease names this replica's
 * address) and stops it after the graceful shutdown, before the browsers close. Not pauseable: a paused context
 * still serves its agents, so it keeps their leases.
 */
@Component
class AgentLeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AgentLeaseKeeper.class);
    private static final int BATCH = 100;

    private final AgentLeases leases;
    private final AgentLifecycle lifecycle;
    private final BrowserRuntime runtime;
    private final ReplicaIdentity self;
    private final ReplicaProperties properties;
    private final TaskScheduler scheduler;
    private final TransactionTemplate transaction;
    private volatile List<ScheduledFuture<?>> scheduled = List.of();
    /**
     * The heartbeat has a scheduler of its own, started and shut down with this keeper: it must not wait behind
     * other scheduled work (reaps, queue figures), and it must go on renewing through the drain and the graceful
     * shutdown, when Boot's scheduler has already stopped on the context's close. A platform thread, also on Java 21+:
     * a renewal that waited for a carrier thread behind virtual threads busy with requests could let leases lapse.
     */
    private volatile ThreadPoolTaskScheduler heartbeats;

    /** All this keeper does is the service's own work: it acts as {@link Actor#system()}. */
    private final CurrentActor actors;

    private final AgentStates states;

    AgentLeaseKeeper(AgentLeases leases, AgentLifecycle lifecycle, BrowserRuntime runtime, ReplicaIdentity self,
                     TaskScheduler scheduler, PlatformTransactionManager transactions, CurrentActor actors, AgentStates states) {
        this.states = states;
        this.actors = actors;
        this.leases = leases;
        this.lifecycle = lifecycle;
        this.runtime = runtime;
        this.self = self;
        this.properties = self.properties();
        this.scheduler = scheduler;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Once the server listens (its address is known): reconcile, then renew and reap for as long as the replica runs. */
    @Override
    public void start() {
        try {
            actors.runAs(Actor.system(), this::reconcile);
        } catch (RuntimeException e) {
            log.warn("Could not reconcile agents at start: {}", e.toString());
        }
        ThreadPoolTaskScheduler heartbeats = new ThreadPoolTaskScheduler();
        heartbeats.setPoolSize(1);
        heartbeats.setThreadNamePrefix("agent-lease-heartbeat-");
        heartbeats.setDaemon(true);
        heartbeats.initialize();
        this.heartbeats = heartbeats;
        Duration heartbeat = properties.heartbeat();
        scheduled = List.of(heartbeats.scheduleWithFixedDelay(() -> actors.runAs(Actor.system(), this::heartbeat),
                        Instant.now().plus(heartbeat), heartbeat),
                scheduler.scheduleWithFixedDelay(() -> actors.runAs(Actor.system(), this::reapQuietly), properties.reapInterval()));
        log.info("Replica {} at {} keeps agent leases of {}", self.id(), self.advertisedUrl(), properties.leaseTtl());
    }

    /** Agents left starting or running by a replica that is gone: stopped until their next action. */
    void reconcile() {
        reap();
        for (String agentId : leases.unleasedActive()) {
            if (runtime.session(agentId).isEmpty()) {
                transaction.executeWithoutResult(status -> {
                    if (leases.lockUnleasedActive(agentId)) {
                        lifecycle.ownerLost(agentId, "service_restart", "unknown");
                    }
                });
            }
        }
    }

    void heartbeat() {
        try {
            Set<String> lost = leases.renew();
            for (String agentId : lost) {
                log.warn("Lease of agent {} is no longer this replica's; closing its browser here", agentId);
                runtime.close(agentId);
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew agent leases: {}", e.toString());
        }
    }

    private void reapQuietly() {
        try {
            reap();
        } catch (RuntimeException e) {
            log.warn("Could not take back expired agent leases: {}", e.toString());
        }
    }

    /** Takes back expired leases (and this address's previous process's), each with its agent's status, in one transaction. */
    int reap() {
        int reaped = 0;
        List<String> candidates;
        do {
            candidates = leases.reclaimable(BATCH);
            for (String agentId : candidates) {
                if (reclaim(agentId)) {
                    reaped++; // a lease of this replica's own, expired while it stalled: the next heartbeat closes its browser
                }
            }
        } while (candidates.size() == BATCH && reaped > 0);
        if (reaped > 0) {
            log.info("Took back {} agent leases nobody renewed", reaped);
        }
        return reaped;
    }

    /**
     * Takes back the agent's lease if it expired (or was this address's previous process's), with its
     * status, in one transaction; false when there was nothing to take back or another replica is at it.
     * Also called just before a launch, so the agent's history shows the lost owner whoever notices first.
     */
    boolean reclaim(String agentId) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            Optional<String> formerUrl = leases.reclaim(agentId);
            formerUrl.ifPresent(url -> lifecycle.ownerLost(agentId,
                    url.equals(self.advertisedUrl()) ? "service_restart" : "owner_lost", url));
            return formerUrl.isPresent();
        }));
    }

    /**
     * On shutdown (the server no longer takes requests; the browsers are still open): saves each browser's state,
     * closes this replica's browsers and hands their agents back ({@code stopped}, {@code service_restart}, lease released), so
     * their next action relaunches on another replica at once instead of waiting out the lease.
     */
    @Override
    public void stop() {
        scheduled.forEach(f -> f.cancel(false));
        scheduled = List.of();
        ThreadPoolTaskScheduler heartbeats = this.heartbeats;
        this.heartbeats = null;
        if (heartbeats != null) {
            heartbeats.shutdown();
        }
        for (String agentId : leases.held()) {
            try {
                states.saveBeforeClose(agentId, "service_restart");
                runtime.close(agentId);
                actors.runAs(Actor.system(), () -> transaction.executeWithoutResult(status -> {
                    leases.release(agentId);
                    lifecycle.stopped(agentId, "service_restart");
                }));
            } catch (RuntimeException e) {
                log.warn("Could not hand back agent {} on shutdown (its lease expires by itself): {}", agentId, e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return heartbeats != null;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.AGENT_LEASES;
    }
}
