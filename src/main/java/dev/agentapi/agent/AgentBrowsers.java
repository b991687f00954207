package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.browser.BrowserEvents;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserProperties;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.browser.LaunchSpec;
import dev.agentapi.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * Ties agents to their real browsers: launches them, relaunches them transparently on the next
 * action after an idle close or a restart, records every action, and hears about browsers that
 * stopped or died on their own.
 */
@Component
class AgentBrowsers implements BrowserEvents {

    private static final Logger log = LoggerFactory.getLogger(AgentBrowsers.class);

    private final BrowserAgentRepository agents;
    private final BrowserRuntime runtime;
    private final AgentViews views;
    private final AuditTrail audit;
    private final Telemetry telemetry;
    private final TransactionTemplate transaction;
    private final boolean launchOnCreate;
    private final Duration busyWait;
    /** One launch at a time per agent; an entry lives until the agent is deleted. */
    private final Map<String, ReentrantLock> launches = new ConcurrentHashMap<>();

    AgentBrowsers(BrowserAgentRepository agents, BrowserRuntime runtime, AgentViews views, AuditTrail audit,
                  Telemetry telemetry, BrowserProperties properties, PlatformTransactionManager transactions) {
        this.launchOnCreate = properties.launchOnCreate();
        this.busyWait = properties.busyWait();
        this.agents = agents;
        this.runtime = runtime;
        this.views = views;
        this.audit = audit;
        this.telemetry = telemetry;
        this.transaction = new TransactionTemplate(transactions);
    }

    boolean launchOnCreate() {
        return launchOnCreate;
    }

    /** Refuses, before anything is stored, a browser that cannot run here or now. */
    void admit(AgentSpec spec) {
        try {
            runtime.resolve(launchSpec(spec.channel(), spec.headless(), spec.width(), spec.height(), null));
        } catch (BrowserFailure failure) {
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
        if (runtime.inUse() >= runtime.capacity()) {
            throw AgentProblems.browser(new BrowserFailure(BrowserFailure.Kind.CAPACITY, "All " + runtime.capacity()
                    + " browsers of this instance are in use; retry later"), runtime.retryAfter());
        }
    }

    /**
     * Launches the agent's browser for its create: {@code running} with its effective channel, or
     * the agent as the failure left it ({@code error} with the reason). Null if it was deleted meanwhile.
     */
    AgentView start(String agentId) {
        try {
            return launch(agentId);
        } catch (BrowserFailure | ErrorResponseException recorded) {
            return agents.findByIdAndDeletedAtIsNull(agentId).map(views::of).orElse(null);
        }
    }

    void stop(String agentId) {
        runtime.close(agentId);
        launches.remove(agentId);
    }

    /**
     * Runs one action, relaunching a stopped browser first (also when it was closed for idleness
     * just before the action could run); counts and audits it either way.
     */
    ActionResult act(AgentView agent, BrowserAction action) {
        String agentId = agent.agentId();
        ensureRunning(agentId);
        long started = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", action.type());
        if (action instanceof BrowserAction.Navigate navigate) {
            details.put("url", navigate.url());
        }
        try {
            ActionResult result;
            try {
                result = runtime.execute(agentId, action);
            } catch (BrowserFailure closed) {
                if (closed.kind() != BrowserFailure.Kind.CLOSED) {
                    throw closed;
                }
                ensureRunning(agentId);
                result = runtime.execute(agentId, action);
            }
            details.put("page_url", result.url());
            recordAction(agentId, action, details, null, started);
            return result;
        } catch (BrowserFailure failure) {
            recordAction(agentId, action, details, failure, started);
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
    }

    private void ensureRunning(String agentId) {
        if (runtime.session(agentId).isPresent()) {
            return;
        }
        try {
            launch(agentId);
        } catch (BrowserFailure failure) {
            throw failure.kind() == BrowserFailure.Kind.CAPACITY ? AgentProblems.browser(failure, runtime.retryAfter())
                    : AgentProblems.notRestartable(agentId, failure.getMessage());
        }
    }

    /**
     * Launches the agent's browser unless it already runs, one launch at a time per agent (another
     * caller waits as long as an action would, then gets 409): {@code starting}, then {@code running}.
     * A failure is recorded on the agent and rethrown: no capacity leaves it {@code stopped} for a
     * later try, anything else is an {@code error} with the reason, an audit entry and an event.
     */
    private AgentView launch(String agentId) {
        ReentrantLock lock = launches.computeIfAbsent(agentId, id -> new ReentrantLock());
        try {
            if (!lock.tryLock(busyWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw AgentProblems.browser(new BrowserFailure(BrowserFailure.Kind.BUSY,
                        "Agent " + agentId + " is starting its browser; retry shortly"), runtime.retryAfter());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentProblems.browser(new BrowserFailure(BrowserFailure.Kind.BUSY, "Interrupted while waiting for the agent"),
                    runtime.retryAfter());
        }
        try {
            if (runtime.session(agentId).isPresent()) { // another caller launched it meanwhile
                return agents.findByIdAndDeletedAtIsNull(agentId).map(views::of).orElseThrow(() -> AgentProblems.notFound(agentId));
            }
            AgentView starting = update(agentId, a -> a.markStarting(now()));
            if (starting == null) {
                throw AgentProblems.notFound(agentId);
            }
            BrowserSession session;
            try {
                session = runtime.launch(agentId, launchSpec(starting.channel(), starting.headless(),
                        starting.viewport().width(), starting.viewport().height(), starting.userAgent()));
            } catch (BrowserFailure failure) {
                recordLaunchFailure(agentId, failure);
                throw failure;
            }
            BrowserChannel effective = session.effectiveChannel();
            AgentView running = update(agentId, a -> a.markRunning(effective, now()));
            if (running == null) {
                runtime.close(agentId); // deleted while its browser was starting
                throw AgentProblems.notFound(agentId);
            }
            return running;
        } finally {
            lock.unlock();
        }
    }

    private void recordLaunchFailure(String agentId, BrowserFailure failure) {
        log.warn("Browser of agent {} did not start: {}", agentId, failure.getMessage());
        if (failure.kind() == BrowserFailure.Kind.CAPACITY) {
            update(agentId, a -> a.markStopped("no_capacity", now()));
            return;
        }
        telemetry.event("agent.launch_failed", Map.of("agent_id", agentId, "reason", failure.getMessage()));
        update(agentId, a -> a.markError(failure.getMessage(), now()),
                new AuditRecord("agent.launch", AuditAction.EXECUTE, AgentService.RESOURCE, agentId, null, null, null),
                failure.getMessage());
    }

    private void recordAction(String agentId, BrowserAction action, Map<String, Object> details, BrowserFailure failure,
                              long startedNanos) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        details.put("duration_ms", millis);
        AgentView view = transaction.execute(status -> {
            AgentView counted = agents.recordAction(agentId, failure == null ? 0 : 1, now()).map(views::of).orElse(null);
            audit.recordOutcome(new AuditRecord("agent.action", AuditAction.EXECUTE, AgentService.RESOURCE, agentId,
                    details, null, null), failure == null, failure == null ? null : failure.getMessage());
            return counted;
        });
        if (view != null) {
            views.cache(view);
        }
        telemetry.event("agent.action", Map.of("agent_id", agentId, "type", action.type(),
                "success", String.valueOf(failure == null), "duration_ms", String.valueOf(millis)));
    }

    @Override
    public void stopped(String agentId, String reason) {
        update(agentId, a -> a.markStopped(reason, now()));
    }

    @Override
    public void crashed(String agentId, String reason) {
        telemetry.event("agent.crashed", Map.of("agent_id", agentId, "reason", reason));
        update(agentId, a -> a.markError(reason, now()),
                new AuditRecord("agent.crash", AuditAction.EXECUTE, AgentService.RESOURCE, agentId, null, null, null), reason);
    }

    /** After a restart no browser of the old process is left: agents that had one are stopped until their next action. */
    @EventListener(ApplicationReadyEvent.class)
    void reconcileAfterRestart() {
        List<BrowserAgent> orphaned = agents.findByStatusInAndDeletedAtIsNull(List.of(AgentStatus.STARTING, AgentStatus.RUNNING));
        for (BrowserAgent agent : orphaned) {
            if (runtime.session(agent.getId()).isEmpty()) {
                update(agent.getId(), a -> a.markStopped("service_restart", now()));
            }
        }
    }

    private AgentView update(String agentId, Consumer<BrowserAgent> change) {
        return update(agentId, change, null, null);
    }

    /**
     * Applies a status change to the agent as it now is (null if it is gone). The browser's state is
     * the truth here, so a concurrent update of the agent (a PATCH) is re-read and the change re-applied.
     */
    private AgentView update(String agentId, Consumer<BrowserAgent> change, AuditRecord failure, String reason) {
        for (int attempt = 1; ; attempt++) {
            try {
                AgentView view = transaction.execute(status -> agents.findByIdAndDeletedAtIsNull(agentId).map(agent -> {
                    change.accept(agent);
                    agents.saveAndFlush(agent);
                    if (failure != null) {
                        audit.recordOutcome(failure, false, reason);
                    }
                    return views.of(agent);
                }).orElse(null));
                if (view != null) {
                    views.cache(view);
                }
                return view;
            } catch (OptimisticLockingFailureException raced) {
                if (attempt == 5) {
                    throw raced;
                }
            }
        }
    }

    private static LaunchSpec launchSpec(BrowserChannel channel, boolean headless, int width, int height, String userAgent) {
        return new LaunchSpec(channel, headless, width, height, userAgent);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
