package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserProperties;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.browser.BrowserState;
import dev.agentapi.browser.LaunchSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Ties agents to this replica's real browsers: launches them, relaunches them transparently on the next
 * action after an idle close, a hibernation (a wake) or a restart, and runs actions. It writes nothing itself: what happens
 * to an agent is recorded by {@link AgentLifecycle}, a launch's outcome as this class hands it over, and
 * what a browser does on its own from the runtime's events.
 */
@Component
class AgentBrowsers {

    private final BrowserAgentRepository agents;
    private final BrowserRuntime runtime;
    private final AgentViews views;
    private final AgentLifecycle lifecycle;
    private final ApplicationEventPublisher events;
    private final boolean launchOnCreate;
    private final Duration busyWait;
    private final MeterRegistry meters;
    private final AgentLeaseKeeper leaseKeeper;
    private final AgentStates states;
    private final Duration hibernateAfter;
    /** The longest a relaunch waits for an idle close of the same agent under way (its state read and saved). */
    private static final Duration CLOSING_WAIT = Duration.ofSeconds(20);
    /** One launch at a time per agent; an entry lives until the agent is deleted. */
    private final Map<String, ReentrantLock> launches = new ConcurrentHashMap<>();

    AgentBrowsers(BrowserAgentRepository agents, BrowserRuntime runtime, AgentViews views, AgentLifecycle lifecycle,
                  ApplicationEventPublisher events, BrowserProperties properties, MeterRegistry meters,
                  AgentLeaseKeeper leaseKeeper, AgentStates states, AgentStateProperties stateProperties) {
        this.hibernateAfter = stateProperties.hibernateAfter();
        this.states = states;
        this.leaseKeeper = leaseKeeper;
        this.meters = meters;
        this.events = events;
        this.launchOnCreate = properties.launchOnCreate();
        this.busyWait = properties.busyWait();
        this.agents = agents;
        this.runtime = runtime;
        this.views = views;
        this.lifecycle = lifecycle;
    }

    boolean launchOnCreate() {
        return launchOnCreate;
    }

    /** Refuses, before anything is stored, a browser that cannot run here or now. */
    void admit(AgentSpec spec) {
        try {
            runtime.resolve(new LaunchSpec(spec.channel(), spec.headless(), spec.width(), spec.height(), null, spec.downloads()));
        } catch (BrowserFailure failure) {
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
        if (runtime.inUse() >= runtime.capacity()) {
            events.publishEvent(new AgentChange.Observed("agent.capacity_refused",
                    Map.of("browsers_max", String.valueOf(runtime.capacity()))));
            throw AgentProblems.browser(new BrowserFailure(BrowserFailure.Kind.CAPACITY, "All " + runtime.capacity()
                    + " browsers of this instance are in use; retry later"), runtime.retryAfter());
        }
    }

    /**
     * Launches the browser of an agent just created {@code starting} (its lease taken with it, see
     * {@link AgentLifecycle#created}): {@code running} with its effective channel, or the agent as the failure
     * left it ({@code error} with the reason). Null if it was deleted meanwhile.
     */
    AgentView start(AgentView created) {
        String agentId = created.agentId();
        try {
            return oneAtATime(agentId, () -> runtime.session(agentId).isPresent()
                    ? existing(agentId) // an action that reached the agent first launched it
                    : launch(created, null, null)); // a new agent has no saved state
        } catch (BrowserFailure | ErrorResponseException recorded) {
            return current(agentId);
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
        Timer.Sample started = Timer.start(meters);
        Map<String, Object> details = auditDetails(action);
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
            lifecycle.actionRecorded(agentId, action, details, null, timed(started, action, "success"),
                    AgentCaptureStore.Capture.of(action, result));
            return result;
        } catch (BrowserFailure failure) {
            lifecycle.actionRecorded(agentId, action, details, failure, timed(started, action, "failure"), null);
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
    }

    /**
     * What the action's audit entry says of it, before its outcome: its type, a navigation's URL, an evaluation's
     * script as its SHA-256 (hex) only, since the script itself may carry secrets and is never stored.
     */
    static Map<String, Object> auditDetails(BrowserAction action) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", action.type());
        if (action instanceof BrowserAction.Navigate navigate) {
            details.put("url", navigate.url());
        }
        if (action instanceof BrowserAction.Evaluate evaluate) {
            details.put("script_sha256", sha256(evaluate.script()));
        }
        return details;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Records the action in {@code agent_action_seconds{type,outcome}} and answers its duration for the audit. */
    private long timed(Timer.Sample started, BrowserAction action, String outcome) {
        long nanos = started.stop(Timer.builder("agent_action").description("Browser actions, relaunch included")
                .tag("type", action.type()).tag("outcome", outcome).register(meters));
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Launches the agent's browser here unless it runs already (within the owner's quota, as an action would), for what
     * needs a running browser before any action: a task's trace. {@link OwnedElsewhere} when another replica launched it.
     */
    void running(String agentId) {
        ensureRunning(agentId);
    }

    private void ensureRunning(String agentId) {
        if (runtime.session(agentId).isPresent()) {
            return;
        }
        try {
            relaunch(agentId);
        } catch (BrowserFailure failure) {
            throw failure.kind() == BrowserFailure.Kind.CAPACITY ? AgentProblems.browser(failure, runtime.retryAfter())
                    : AgentProblems.notRestartable(agentId, failure.getMessage());
        }
    }

    /**
     * Launches the agent's browser again unless it already runs: {@code starting} (with this replica's lease),
     * then {@code running}. A failure is recorded on the agent and rethrown.
     */
    private AgentView relaunch(String agentId) {
        return oneAtATime(agentId, () -> {
            if (runtime.session(agentId).isPresent()) { // another caller launched it meanwhile
                return existing(agentId);
            }
            long asked = System.nanoTime();
            // an idle close (hibernation) under way: its state saved and its status recorded first, so this launch
            // starts from that state and its status is not overwritten after it
            runtime.awaitClosing(agentId, CLOSING_WAIT);
            leaseKeeper.reclaim(agentId); // a holder that let its lease expire is recorded as lost before the relaunch
            AgentLifecycle.Starting starting = lifecycle.starting(agentId);
            if (starting == null) {
                throw AgentProblems.notFound(agentId);
            }
            // where its last browser stopped
            return launch(starting.view(), states.restorable(starting.view()).orElse(null), starting.waking() ? asked : null);
        });
    }

    /**
     * Launches the browser of an agent stored {@code starting}, from its saved state when there is one ({@code restore};
     * its viewport is the one the browser last had), and records what came of it: {@code running}
     * on the channel the runtime answers, or the failure (recorded on the agent and rethrown).
     */
    private AgentView launch(AgentView starting, BrowserState restore, Long wakeStartedNanos) {
        String agentId = starting.agentId();
        boolean savedViewport = restore != null && restore.viewportWidth() != null && restore.viewportHeight() != null;
        BrowserSession session;
        try {
            session = runtime.launch(agentId, new LaunchSpec(starting.channel(), starting.headless(),
                    savedViewport ? restore.viewportWidth() : starting.viewport().width(),
                    savedViewport ? restore.viewportHeight() : starting.viewport().height(), starting.userAgent(),
                    Boolean.TRUE.equals(starting.config() == null ? null : starting.config().get(AgentSpec.DOWNLOADS)), restore,
                    idleClose(starting)));
        } catch (BrowserFailure failure) {
            lifecycle.launchFailed(agentId, failure, wakeStartedNanos != null);
            throw failure;
        }
        states.launched(agentId);
        AgentView running = lifecycle.launched(agentId, session.effectiveChannel(), wakeStartedNanos == null ? null
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wakeStartedNanos));
        if (running == null) {
            runtime.close(agentId); // deleted while its browser was starting
            throw AgentProblems.notFound(agentId);
        }
        return running;
    }

    /**
     * How the runtime closes the agent's idle browser: an agent that keeps its state hibernates after
     * {@code AGENT_HIBERNATE_AFTER} (its state saved, its browser released, {@code hibernated}); one that opted out
     * ({@code "persist_state": false}) is stopped after {@code BROWSER_IDLE_TIMEOUT} as before (null: the runtime's own).
     */
    private LaunchSpec.IdleClose idleClose(AgentView agent) {
        return AgentStates.persists(agent.config()) ? new LaunchSpec.IdleClose(hibernateAfter, AgentLifecycle.HIBERNATE) : null;
    }

    /**
     * Runs {@code launch} holding the agent's launch lock: one launch at a time per agent (another caller waits as
     * long as an action would, then gets 409).
     */
    private AgentView oneAtATime(String agentId, Supplier<AgentView> launch) {
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
            return launch.get();
        } finally {
            lock.unlock();
        }
    }

    private AgentView existing(String agentId) {
        AgentView view = current(agentId);
        if (view == null) {
            throw AgentProblems.notFound(agentId);
        }
        return view;
    }

    /** The agent as stored now, or null when it is gone. */
    private AgentView current(String agentId) {
        return agents.findByIdAndDeletedAtIsNull(agentId).map(views::of).orElse(null);
    }
}
