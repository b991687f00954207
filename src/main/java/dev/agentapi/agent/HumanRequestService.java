package dev.agentapi.agent;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An AI client asking for a person (MCP {@code request_human}): the agent is marked as waiting, with the client's
 * message (the console shows it; {@code GET .../takeover} answers it), and the call waits until a person has taken
 * the agent over and the hold ended (released, idle, or the browser closed), the call's timeout passed, or the agent
 * was deleted. Only the owner or an admin, only where the browser runs, only a running browser, which a wait keeps
 * from idling out. The request and how it ended are audited ({@code agent.human_requested},
 * {@code agent.human_request.ended}).
 */
@Service
public class HumanRequestService implements SmartLifecycle {

    /** The longest message for the person, in characters. */
    public static final int MAX_MESSAGE = 1000;
    private static final Logger log = LoggerFactory.getLogger(HumanRequestService.class);

    private final AgentService agents;
    private final BrowserRuntime runtime;
    private final AgentLeases leases;
    private final HumanRequests requests;
    private final BrowserAgentRepository repository;
    private final AuditTrail audit;
    private final CurrentActor actors;
    private final TransactionTemplate transaction;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> sweeper;

    HumanRequestService(AgentService agents, BrowserRuntime runtime, AgentLeases leases, HumanRequests requests,
                        BrowserAgentRepository repository, AuditTrail audit, CurrentActor actors,
                        PlatformTransactionManager transactions, TaskScheduler scheduler) {
        this.agents = agents;
        this.runtime = runtime;
        this.leases = leases;
        this.requests = requests;
        this.repository = repository;
        this.audit = audit;
        this.actors = actors;
        this.transaction = new TransactionTemplate(transactions);
        this.scheduler = scheduler;
    }

    /**
     * How a request ended. {@code outcome}: {@code released}, {@code idle-timeout} or {@code browser-closed} (how the
     * person's hold ended; {@code browser-closed} also when the browser closed with no one holding it),
     * {@code timed-out}, {@code agent-deleted}, {@code superseded} (the same caller asked again), {@code shutting-down};
     * {@code answered} when a person held the agent.
     */
    public record Outcome(String agentId, String outcome, boolean answered, long waitedMs,
                          @Nullable String heldBy, @Nullable Long heldMs, @Nullable Long inputs) {
    }

    /** A waiting request as the takeover state shows it. */
    @Schema(name = "HumanRequest")
    public record Pending(String message, String requestedBy, Instant since, Instant expiresAt) {
    }

    /** The longest a request may wait, and how long one waits that names no timeout. */
    public Duration maxTimeout() {
        return requests.settings().maxTimeout();
    }

    /**
     * Marks the caller's agent as waiting for a person with {@code message}, and waits (on the caller's thread) for
     * the outcome: 404 when the caller may not see the agent, 409 when it has no running browser here or another
     * caller waits on it, 429/503 beyond the waits one caller or this replica may have.
     */
    public Outcome request(String agentId, String message, Duration timeout) {
        agents.get(agentId); // 404: missing, deleted, or another owner's
        Actor actor = actors.get();
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("message", message);
        asked.put("timeout_seconds", timeout.toSeconds());
        AuditRecord attempt = LiveViewProblems.audited("agent.human_requested", agentId, asked);
        HumanRequests.Waiting wait;
        try {
            LiveViewProblems.runningHere(runtime, leases, agentId).touched();
            wait = requests.open(agentId, actor, message, Instant.now().plus(timeout));
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        }
        try {
            transaction.executeWithoutResult(status -> audit.recordSuccess(attempt));
        } catch (RuntimeException unaudited) {
            requests.end(wait, HumanRequests.Ending.without("unaudited"));
            throw unaudited;
        }
        HumanRequests.Ending ending = await(wait);
        Outcome outcome = new Outcome(agentId, ending.outcome(), ending.heldBy() != null,
                Duration.between(wait.since, Instant.now()).toMillis(), ending.heldBy(), ending.heldMs(), ending.inputs());
        recordEnd(outcome);
        return outcome;
    }

    /** The request waiting on the agent, if any (on this replica, where its browser runs). */
    Optional<Pending> pending(String agentId) {
        return requests.waiting(agentId).map(w -> new Pending(w.message, w.requester.userId(), w.since, w.deadline));
    }

    private HumanRequests.Ending await(HumanRequests.Waiting wait) {
        try {
            long left = Math.max(1, Duration.between(Instant.now(), wait.deadline).toMillis());
            return wait.answer.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException passed) {
            requests.end(wait, HumanRequests.Ending.without("timed-out"));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            requests.end(wait, HumanRequests.Ending.without("shutting-down"));
        } catch (ExecutionException impossible) {
            requests.end(wait, HumanRequests.Ending.without("shutting-down"));
        }
        return wait.answer.join(); // what ended it: the timeout, or an answer that came just before
    }

    private void recordEnd(Outcome outcome) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("outcome", outcome.outcome());
        details.put("waited_ms", outcome.waitedMs());
        if (outcome.heldBy() != null) {
            details.put("held_by", outcome.heldBy());
            details.put("held_ms", outcome.heldMs());
        }
        AuditRecord ended = LiveViewProblems.audited("agent.human_request.ended", outcome.agentId(), details);
        try {
            transaction.executeWithoutResult(status -> audit.recordSuccess(ended));
        } catch (RuntimeException unaudited) {
            audit.recordFailure(ended, AgentProblems.describe(unaudited));
        }
    }

    /**
     * Every second: a waiting agent's browser is kept from idling out; a wait whose browser closed ends at the next
     * look (a delete's commit has come by then, so it ends {@code agent-deleted} rather than {@code browser-closed}).
     */
    void sweep() {
        Instant now = Instant.now();
        for (HumanRequests.Waiting wait : requests.all()) {
            Optional<BrowserSession> session = runtime.session(wait.agentId).filter(s -> !s.closed());
            if (session.isPresent()) {
                session.get().touched();
                wait.closedAt = null;
            } else if (wait.closedAt == null) {
                wait.closedAt = now;
            } else {
                HumanRequests.Ending held = wait.closedHold;
                requests.end(wait, deleted(wait.agentId) ? deletedEnding(held)
                        : held != null ? held : HumanRequests.Ending.without("browser-closed"));
            }
        }
    }

    /** A hold on the agent ended ({@link Takeovers}): a waiting request is answered, unless the browser closed (the sweep decides). */
    void holdEnded(String agentId, HumanRequests.Ending hold) {
        requests.waiting(agentId).ifPresent(wait -> {
            if ("browser-closed".equals(hold.outcome())) {
                wait.closedHold = hold;
            } else {
                requests.end(wait, hold);
            }
        });
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void removed(AgentChange.Removed change) {
        requests.waiting(change.agentId()).ifPresent(wait -> requests.end(wait, deletedEnding(wait.closedHold)));
    }

    private static HumanRequests.Ending deletedEnding(@Nullable HumanRequests.Ending held) {
        return held == null ? HumanRequests.Ending.without("agent-deleted")
                : new HumanRequests.Ending("agent-deleted", held.heldBy(), held.heldMs(), held.inputs());
    }

    private boolean deleted(String agentId) {
        try {
            return repository.findByIdAndDeletedAtIsNull(agentId).isEmpty();
        } catch (DataAccessException unavailable) {
            log.debug("Whether agent {} was deleted is unknown: {}", agentId, unavailable.toString());
            return false;
        }
    }

    /** Sweeps from start; on stop every waiting call ends {@code shutting-down}, so the graceful shutdown need not wait for it. */
    @Override
    public void start() {
        sweeper = scheduler.scheduleWithFixedDelay(this::sweep, Duration.ofSeconds(1));
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = sweeper;
        sweeper = null;
        if (running != null) {
            running.cancel(false);
        }
        requests.all().forEach(wait -> requests.end(wait, HumanRequests.Ending.without("shutting-down")));
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.LIVE_VIEWS;
    }
}
