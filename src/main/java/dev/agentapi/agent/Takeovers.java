package dev.agentapi.agent;

import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.browser.HumanInput;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person stepping into an agent's browser: taking it over (a hold, {@link AgentHolds}), sending it input
 * ({@link HumanInput}: clicks, moves, wheel turns, keys, text), and releasing it, by hand or after the idle timeout.
 * Only the owner or an admin, only where the browser runs, only a running browser. Taking over and releasing are
 * audited ({@code agent.takeover.started}, {@code agent.takeover.released} with who held it, how long and how many
 * inputs); single inputs are neither audited nor counted as actions. A hold's end answers an AI client waiting for a
 * person on the agent ({@link HumanRequestService}).
 */
@Service
class Takeovers implements DisposableBean {

    private static final Duration INPUT_TIMEOUT = Duration.ofSeconds(10);

    private final AgentService agents;
    private final BrowserRuntime runtime;
    private final AgentLeases leases;
    private final AgentHolds holds;
    private final HumanRequestService humanRequests;
    private final AuditTrail audit;
    private final CurrentActor actors;
    private final TransactionTemplate transaction;
    private final ScheduledFuture<?> sweeper;

    Takeovers(AgentService agents, BrowserRuntime runtime, AgentLeases leases, AgentHolds holds, HumanRequestService humanRequests,
              AuditTrail audit, CurrentActor actors, PlatformTransactionManager transactions, TaskScheduler scheduler) {
        this.agents = agents;
        this.runtime = runtime;
        this.leases = leases;
        this.holds = holds;
        this.humanRequests = humanRequests;
        this.audit = audit;
        this.actors = actors;
        this.transaction = new TransactionTemplate(transactions);
        this.sweeper = scheduler.scheduleWithFixedDelay(this::releaseIdle, Duration.ofSeconds(1));
    }

    /** The hold as its holder sees it. */
    record HoldView(String agentId, String heldBy, Instant since, long idleTimeoutSeconds) {
    }

    /** A hold that ended: who held it, how long, how many inputs, and why it ended. */
    record Released(String agentId, String heldBy, long heldMs, long inputs, String reason) {
    }

    /**
     * Who holds the agent and whether it waits for a person (MCP {@code request_human}), as this replica sees it: the
     * one running its browser. Nothing held and nothing asked when no browser runs; 409 when it runs on another replica.
     */
    record TakeoverState(String agentId, @Nullable String heldBy, @Nullable Instant heldSince, long idleTimeoutSeconds,
                         @Nullable HumanRequestService.Pending humanRequest) {
    }

    /** The agent's takeover state: 404 when the caller may not see the agent, 409 when its browser runs elsewhere. */
    TakeoverState state(String agentId) {
        agents.get(agentId);
        if (runtime.session(agentId).filter(s -> !s.closed()).isEmpty()) {
            leases.heldElsewhere(agentId).ifPresent(holder -> {
                throw LiveViewProblems.elsewhere(agentId, holder);
            });
        }
        Optional<AgentHolds.Hold> hold = holds.held(agentId);
        return new TakeoverState(agentId, hold.map(h -> h.holder.userId()).orElse(null), hold.map(h -> h.since).orElse(null),
                holds.idleTimeout().toSeconds(), humanRequests.pending(agentId).orElse(null));
    }

    /** Takes the caller's agent over (their own hold again when they hold it already); 409 when another person holds it. */
    HoldView take(String agentId) {
        agents.get(agentId); // 404: missing, deleted, or another owner's
        Actor actor = actors.get();
        AuditRecord attempt = LiveViewProblems.audited("agent.takeover.started", agentId, Map.of());
        AgentHolds.Hold hold;
        boolean fresh;
        try {
            LiveViewProblems.runningHere(runtime, leases, agentId);
            fresh = holds.held(agentId).isEmpty();
            hold = holds.take(agentId, actor).orElseThrow(() -> LiveViewProblems.heldByPerson(agentId));
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        }
        if (fresh) {
            try {
                transaction.executeWithoutResult(status -> audit.recordSuccess(attempt));
            } catch (RuntimeException unaudited) {
                holds.release(hold);
                throw unaudited;
            }
        }
        return new HoldView(agentId, hold.holder.userId(), hold.since, holds.idleTimeout().toSeconds());
    }

    /** Sends one input to the page of the agent the caller holds; 409 when they do not hold it. */
    void input(String agentId, TakeoverInput request) {
        agents.get(agentId);
        Actor actor = actors.get();
        AgentHolds.Hold hold = holds.held(agentId).filter(h -> h.heldBy(actor))
                .orElseThrow(() -> LiveViewProblems.notHolding(agentId));
        HumanInput input = request.toInput();
        BrowserSession session;
        try {
            session = LiveViewProblems.runningHere(runtime, leases, agentId);
        } catch (RuntimeException gone) {
            end(hold, "browser-closed");
            throw gone;
        }
        try {
            HumanInput.dispatch(session, input, INPUT_TIMEOUT);
        } catch (BrowserFailure failure) {
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
        hold.lastInput = Instant.now();
        hold.inputs.incrementAndGet();
    }

    /** Ends the caller's hold (an admin may end anyone's); 409 when there is none they may end. */
    Released release(String agentId) {
        agents.get(agentId);
        Actor actor = actors.get();
        AgentHolds.Hold hold = holds.held(agentId).filter(h -> h.heldBy(actor) || actor.admin())
                .orElseThrow(() -> LiveViewProblems.notHolding(agentId));
        return end(hold, "released");
    }

    /** Every second: holds idle past the timeout, or whose browser closed, end (audited as their holder). */
    void releaseIdle() {
        Instant now = Instant.now();
        for (AgentHolds.Hold hold : holds.all()) {
            boolean closed = runtime.session(hold.agentId).filter(s -> !s.closed()).isEmpty();
            boolean idle = hold.lastInput.plus(holds.idleTimeout()).isBefore(now);
            if (closed || idle) {
                actors.runAs(hold.holder, () -> end(hold, closed ? "browser-closed" : "idle-timeout"));
            }
        }
    }

    private Released end(AgentHolds.Hold hold, String reason) {
        long heldMs = Duration.between(hold.since, Instant.now()).toMillis();
        Released released = new Released(hold.agentId, hold.holder.userId(), heldMs, hold.inputs.get(), reason);
        if (holds.release(hold)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("held_by", released.heldBy());
            details.put("held_ms", heldMs);
            details.put("inputs", released.inputs());
            details.put("reason", reason);
            try {
                transaction.executeWithoutResult(status -> audit.recordSuccess(LiveViewProblems.audited("agent.takeover.released", hold.agentId, details)));
            } catch (RuntimeException unaudited) {
                audit.recordFailure(LiveViewProblems.audited("agent.takeover.released", hold.agentId, details), AgentProblems.describe(unaudited));
            }
            humanRequests.holdEnded(hold.agentId, new HumanRequests.Ending(reason, released.heldBy(), heldMs, released.inputs()));
        }
        return released;
    }

    @Override
    public void destroy() {
        sweeper.cancel(false);
    }
}
