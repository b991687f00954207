package dev.agentapi.agent;

import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.replica.ReplicaProperties;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
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
 */
@Component
class AgentLeaseKeeper implements DisposableBean {

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
    /** The heartbeat has a thread of its own: it must not wait behind other scheduled work (reaps, queue figures). */
    private final java.util.concurrent.ScheduledExecutorService heartbeats = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "agent-lease-heartbeat");
                thread.setDaemon(true);
                return thread;
            });

    AgentLeaseKeeper(AgentLeases leases, AgentLifecycle lifecycle, BrowserRuntime runtime, ReplicaIdentity self,
                     TaskScheduler scheduler, PlatformTransactionManager transactions) {
        this.leases = leases;
        this.lifecycle = lifecycle;
        this.runtime = runtime;
        this.self = self;
        this.properties = self.properties();
        this.scheduler = scheduler;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Once the server listens (its address is known): reconcile, then renew and reap for as long as the replica runs. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.warn("Could not reconcile agents at start: {}", e.toString());
        }
        long heartbeat = properties.heartbeat().toMillis();
        scheduled = List.of(heartbeats.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, java.util.concurrent.TimeUnit.MILLISECONDS),
                scheduler.scheduleWithFixedDelay(this::reapQuietly, properties.reapInterval()));
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
     * On shutdown (the server no longer takes requests; the browsers are still open): closes this replica's
     * browsers and hands their agents back ({@code stopped}, {@code service_restart}, lease released), so
     * their next action relaunches on another replica at once instead of waiting out the lease.
     */
    @Override
    public void destroy() {
        scheduled.forEach(f -> f.cancel(false));
        heartbeats.shutdownNow();
        for (String agentId : leases.held()) {
            try {
                runtime.close(agentId);
                transaction.executeWithoutResult(status -> {
                    leases.release(agentId);
                    lifecycle.stopped(agentId, "service_restart");
                });
            } catch (RuntimeException e) {
                log.warn("Could not hand back agent {} on shutdown (its lease expires by itself): {}", agentId, e.toString());
            }
        }
    }
}
