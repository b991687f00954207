package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditStatement;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.browser.BrowserEvent;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one owner of an agent's state machine ({@code created → starting → running → stopped | hibernated | error},
 * and deletion): every status change is made here, in a transaction with its audit entry, and
 * announced as an {@link AgentChange} that the cache and telemetry act on after commit. A launch's
 * outcome comes back from {@link AgentBrowsers} as a call ({@link #launched}, {@link #launchFailed});
 * what a browser does on its own (idle close, crash) arrives as the runtime's {@link BrowserEvent}s.
 * Methods join the caller's transaction when there is one.
 */
@Service
class AgentLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AgentLifecycle.class);
    private static final int ATTEMPTS = 5;

    private final BrowserAgentRepository agents;
    private final AgentViews views;
    private final AuditTrail audit;
    private final ApplicationEventPublisher events;
    private final BrowserRuntime runtime;
    private final TransactionTemplate transaction;
    private final AgentLeases leases;
    private final BrowserQuota quota;

    private final CurrentActor actors;
    private final AgentTraceStore traces;
    private final AgentCaptureStore captures;

    AgentLifecycle(BrowserAgentRepository agents, AgentViews views, AuditTrail audit, ApplicationEventPublisher events,
                   BrowserRuntime runtime, PlatformTransactionManager transactions, AgentLeases leases, BrowserQuota quota,
                   CurrentActor actors, AgentTraceStore traces, AgentCaptureStore captures) {
        this.traces = traces;
        this.captures = captures;
        this.actors = actors;
        this.runtime = runtime;
        this.quota = quota;
        this.leases = leases;
        this.agents = agents;
        this.views = views;
        this.audit = audit;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** PostgreSQL keeps microseconds; answering with the same precision makes a read equal the create. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Stores a new agent with the create's audit entry; not cached. When its browser launches next the agent is
     * stored {@code starting}, within its owner's browser quota (counted in this transaction), and this replica
     * takes its lease in the same transaction (after the insert: the lease names a stored agent), so the launch
     * that follows needs neither a read nor a write before it starts the browser.
     */
    AgentView created(BrowserAgent agent, boolean launching, AuditRecord attempt) {
        return transaction.execute(status -> {
            if (launching) {
                quota.hold(agent.getCreatedBy(), agent.getId());
                agent.markStarting(agent.getCreatedAt());
            }
            agents.saveAndFlush(agent);
            if (launching) {
                leases.take(agent.getId()); // a new agent: no other replica can hold it
            }
            AgentView view = views.of(agent);
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), AgentService.RESOURCE,
                    agent.getId(), attempt.details(), null, view));
            return view; // not cached: the first read (or the launch that follows) fills the cache
        });
    }

    /**
     * Soft-deletes the agent (its ownership checked by the caller: an agent's owner never changes); 404 when it
     * is gone already.
     */
    long deleted(String agentId, AuditRecord attempt) {
        return transaction.execute(status -> {
            leases.releaseAny(agentId); // the lease row before the agent's, as everywhere (no deadlock)
            BrowserAgent agent = agents.findByIdAndDeletedAtIsNull(agentId).orElseThrow(() -> AgentProblems.notFound(agentId));
            AgentView before = views.of(agent);
            agent.markDeleted(now());
            try {
                agents.saveAndFlush(agent);
            } catch (OptimisticLockingFailureException raced) {
                throw AgentProblems.concurrentUpdate(agentId);
            }
            traces.delete(agentId); // its recording goes with it
            captures.delete(agentId); // and its last screenshot and PDF
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), AgentService.RESOURCE,
                    agentId, null, before, null));
            events.publishEvent(new AgentChange.Removed(agentId, agent.getVersion()));
            events.publishEvent(new AgentChange.Observed("agent.deleted", Map.of("agent_id", agentId)));
            return agent.getVersion();
        });
    }

    /**
     * The agent's browser is being launched here again (a create's first launch starts as {@link #created}):
     * within its owner's browser quota (429 beyond it), counted in the transaction that marks it starting, in
     * which this replica also takes the agent's lease, or fails with {@link OwnedElsewhere} when another replica
     * holds it. Null if the agent is gone. The owner's quota lock comes first, then the lease row, then the
     * agent's row.
     */
    Starting starting(String agentId) {
        java.util.concurrent.atomic.AtomicBoolean waking = new java.util.concurrent.atomic.AtomicBoolean();
        AgentView view = transition(agentId, () -> {
            agents.findOwnerById(agentId).ifPresent(owner -> quota.hold(owner, agentId));
            leases.take(agentId);
        }, a -> {
            waking.set(a.getStatus() == AgentStatus.HIBERNATED);
            a.markStarting(now());
        }, () -> { });
        return view == null ? null : new Starting(view, waking.get());
    }

    /** An agent marked {@code starting} for a relaunch; {@code waking} when it was {@code hibernated}. */
    record Starting(AgentView view, boolean waking) {
    }

    /**
     * The replica that held the agent's browser stopped renewing its lease (the caller has just taken the
     * lease back, in this transaction): a starting or running agent is {@code stopped} with {@code reason}
     * ({@code owner_lost}, or {@code service_restart} when it was this replica's previous process), and its
     * next action launches it again wherever it arrives.
     */
    void ownerLost(String agentId, String reason, String formerOwner) {
        transaction.executeWithoutResult(status -> agents.findByIdAndDeletedAtIsNull(agentId)
                .filter(agent -> agent.getStatus() == AgentStatus.STARTING || agent.getStatus() == AgentStatus.RUNNING)
                .ifPresent(agent -> {
                    AgentView before = views.of(agent);
                    agent.markStopped(reason, now());
                    agents.saveAndFlush(agent);
                    AgentView view = views.of(agent);
                    audit.recordSuccess(new AuditRecord("agent.owner_lost", AuditAction.EXECUTE, AgentService.RESOURCE, agentId,
                            Map.of("reason", reason, "former_owner", formerOwner), before, view));
                    events.publishEvent(new AgentChange.Stored(view));
                    events.publishEvent(new AgentChange.Observed("agent.owner_lost", Map.of("agent_id", agentId,
                            "reason", reason, "former_owner", formerOwner)));
                }));
    }

    /** Stopped, for a reason such as {@code idle_timeout} or {@code service_restart}; null if the agent is gone. */
    AgentView stopped(String agentId, String reason) {
        return transition(agentId, a -> a.markStopped(reason, now()));
    }

    /**
     * A launch failed: no capacity leaves the agent {@code stopped} for a later try, anything else is
     * an {@code error} with the reason, an audit entry and an event.
     */
    void launchFailed(String agentId, BrowserFailure failure) {
        launchFailed(agentId, failure, false);
    }

    /**
     * As {@link #launchFailed(String, BrowserFailure)}; {@code waking}: the launch was a hibernated agent's wake, which no
     * capacity leaves {@code hibernated} (its state is still the saved one) rather than {@code stopped}.
     */
    void launchFailed(String agentId, BrowserFailure failure, boolean waking) {
        log.warn("Browser of agent {} did not start: {}", agentId, failure.getMessage());
        if (failure.kind() == BrowserFailure.Kind.CAPACITY) {
            transition(agentId, () -> leases.release(agentId), a -> {
                if (waking) {
                    a.markHibernated(now());
                } else {
                    a.markStopped("no_capacity", now());
                }
            }, () -> {
                events.publishEvent(new AgentChange.Observed("agent.capacity_refused",
                        Map.of("agent_id", agentId, "browsers_max", String.valueOf(runtime.capacity()))));
            });
            return;
        }
        failed(agentId, "agent.launch", failure.getMessage(), new AgentChange.Observed("agent.launch_failed",
                Map.of("agent_id", agentId, "reason", failure.getMessage())));
    }

    /**
     * Counts an action (atomically, see the repository) with its audit entry, and keeps what it captured ({@code capture}:
     * a screenshot or a PDF, else null) as the agent's last one: all written by one statement, in one round trip and one
     * commit, where a transaction around two statements and the capture's own write cost three round trips and a commit
     * more. The cache and telemetry learn of it once it is durable, as after any commit. A capture that cannot be kept is
     * logged and costs the action nothing: the action is counted again without it.
     */
    void actionRecorded(String agentId, BrowserAction action, Map<String, Object> details, BrowserFailure failure, long millis,
                        AgentCaptureStore.Capture capture) {
        details.put("duration_ms", millis);
        AuditStatement entry = audit.outcomeStatement(new AuditRecord("agent.action", AuditAction.EXECUTE, AgentService.RESOURCE,
                agentId, details, null, null), failure == null, failure == null ? null : failure.getMessage());
        Optional<BrowserAgent> counted;
        try {
            counted = agents.countAction(agentId, failure == null ? 0 : 1, now(), entry, capture);
        } catch (DataAccessException notKept) {
            if (capture == null) {
                throw notKept;
            }
            log.warn("The {} of agent {} was not kept as its last one: {}", capture.kind(), agentId, notKept.getClass().getSimpleName());
            counted = agents.countAction(agentId, failure == null ? 0 : 1, now(), entry, null);
        }
        counted.ifPresent(agent -> events.publishEvent(new AgentChange.Stored(views.of(agent))));
        events.publishEvent(new AgentChange.Observed("agent.action", Map.of("agent_id", agentId, "type", action.type(),
                "success", String.valueOf(failure == null), "duration_ms", String.valueOf(millis))));
    }

    /**
     * The agent's browser, launched here, runs on {@code effectiveChannel}: {@code running}, answered to the
     * launch that asked. Null if the agent was deleted meanwhile.
     */
    AgentView launched(String agentId, BrowserChannel effectiveChannel) {
        return launched(agentId, effectiveChannel, null);
    }

    /**
     * As {@link #launched(String, BrowserChannel)}; {@code wokeInMillis}, when the agent was {@code hibernated}: how long its
     * wake took (from the action that woke it to its browser running with its state), audited as {@code agent.woken}
     * with a telemetry event of the same name.
     */
    AgentView launched(String agentId, BrowserChannel effectiveChannel, Long wokeInMillis) {
        return transition(agentId, a -> a.markRunning(effectiveChannel, now()), () -> {
            events.publishEvent(new AgentChange.Observed("agent.launched", Map.of("agent_id", agentId,
                    "effective_channel", effectiveChannel.value())));
            if (wokeInMillis != null) {
                audit.recordSuccess(new AuditRecord("agent.woken", AuditAction.EXECUTE, AgentService.RESOURCE, agentId,
                        Map.of("wake_ms", wokeInMillis), null, null));
                events.publishEvent(new AgentChange.Observed("agent.woken", Map.of("agent_id", agentId,
                        "wake_ms", String.valueOf(wokeInMillis))));
            }
        });
    }

    /**
     * This replica's browser of the agent closed (idle): the lease goes with it, unless another replica took the agent
     * over. Closed for {@link #HIBERNATE} (an agent that keeps its state, idle for {@code AGENT_HIBERNATE_AFTER}), the
     * agent is {@code hibernated}, with an audit entry and a telemetry event ({@code agent.hibernated}); its state was
     * saved just before (the state's listener comes first). An agent whose config opted out of saved state meanwhile
     * is {@code stopped} ({@code idle_timeout}), as any other idle close.
     */
    @EventListener
    @Order(AgentStates.BEFORE_STATUS + 1)
    void on(BrowserEvent.Stopped stopped) {
        String agentId = stopped.agentId();
        actors.runAs(Actor.system(), () -> {
            if (leases.takenOver(agentId)) {
                return;
            }
            if (!HIBERNATE.equals(stopped.reason())) {
                transition(agentId, () -> leases.release(agentId), a -> a.markStopped(stopped.reason(), now()), () -> { });
                return;
            }
            java.util.concurrent.atomic.AtomicBoolean hibernated = new java.util.concurrent.atomic.AtomicBoolean();
            transition(agentId, () -> leases.release(agentId), a -> {
                hibernated.set(AgentStates.persists(views.of(a).config()));
                if (hibernated.get()) {
                    a.markHibernated(now());
                } else {
                    a.markStopped("idle_timeout", now());
                }
            }, () -> {
                if (hibernated.get()) {
                    audit.recordSuccess(new AuditRecord("agent.hibernated", AuditAction.EXECUTE, AgentService.RESOURCE, agentId,
                            Map.of("state_read", stopped.state() != null), null, null));
                    events.publishEvent(new AgentChange.Observed("agent.hibernated", Map.of("agent_id", agentId)));
                }
            });
        });
    }

    /** The reason an agent's browser is closed with when it hibernates (and the reason its state is saved with then). */
    static final String HIBERNATE = "hibernated";

    /** Recorded as the system's observation, whichever thread saw the browser go. */
    @EventListener
    void on(BrowserEvent.Crashed crashed) {
        actors.runAs(Actor.system(), () -> {
            if (!leases.takenOver(crashed.agentId())) { // else a browser this replica no longer owns: its new holder's
                failed(crashed.agentId(), "agent.crash", crashed.reason(), new AgentChange.Observed("agent.crashed",
                        Map.of("agent_id", crashed.agentId(), "reason", crashed.reason())));
            }
        });
    }

    private void failed(String agentId, String auditEvent, String reason, AgentChange.Observed observed) {
        AuditRecord entry = new AuditRecord(auditEvent, AuditAction.EXECUTE, AgentService.RESOURCE, agentId, null, null, null);
        transition(agentId, () -> leases.release(agentId), a -> a.markError(reason, now()), () -> {
            audit.recordOutcome(entry, false, reason);
            events.publishEvent(observed);
        });
    }

    private AgentView transition(String agentId, Consumer<BrowserAgent> change) {
        return transition(agentId, () -> { }, change, () -> { });
    }

    private AgentView transition(String agentId, Consumer<BrowserAgent> change, Runnable alongside) {
        return transition(agentId, () -> { }, change, alongside);
    }

    /**
     * Applies a status change to the agent as it now is (null if it is gone), with {@code alongside}
     * in the same transaction. The browser's state is the truth here, so a concurrent update of the
     * agent (a PATCH) is re-read and the change re-applied. {@code leaseFirst} (taking or giving up the
     * agent's lease) runs before the agent's row is written: every transaction that touches both
     * locks the lease row first, as the reaper does, so two of them never wait for each other.
     */
    private AgentView transition(String agentId, Runnable leaseFirst, Consumer<BrowserAgent> change, Runnable alongside) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> {
                    leaseFirst.run();
                    return agents.findByIdAndDeletedAtIsNull(agentId).map(agent -> {
                        change.accept(agent);
                        agents.saveAndFlush(agent);
                        alongside.run();
                        AgentView view = views.of(agent);
                        events.publishEvent(new AgentChange.Stored(view));
                        return view;
                    }).orElse(null);
                });
            } catch (OptimisticLockingFailureException raced) {
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }
}
