package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserChannelName;
import dev.agentapi.browser.BrowserEvents;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserProperties;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.browser.LaunchSpec;
import dev.agentapi.telemetry.Telemetry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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

    AgentBrowsers(BrowserAgentRepository agents, BrowserRuntime runtime, AgentViews views, AuditTrail audit,
                  Telemetry telemetry, BrowserProperties properties, PlatformTransactionManager transactions) {
        this.launchOnCreate = properties.launchOnCreate();
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

    /** Launches the agent's browser: {@code running} with its effective channel, or {@code error} with the reason. */
    AgentView start(String agentId) {
        BrowserAgent agent = agents.findByIdAndDeletedAtIsNull(agentId).orElseThrow(() -> AgentProblems.notFound(agentId));
        LaunchSpec spec = launchSpec(agent.getChannel(), agent.isHeadless(), agent.getViewportWidth(),
                agent.getViewportHeight(), agent.getUserAgent());
        try {
            BrowserSession session = runtime.launch(agentId, spec);
            BrowserChannel effective = BrowserChannel.valueOf(session.effectiveChannel().name());
            return update(agentId, a -> a.markRunning(effective, now()));
        } catch (BrowserFailure failure) {
            log.warn("Browser of agent {} did not start: {}", agentId, failure.getMessage());
            telemetry.event("agent.launch_failed", Map.of("agent_id", agentId, "reason", failure.getMessage()));
            return update(agentId, a -> a.markError(failure.getMessage(), now()),
                    new AuditRecord("agent.launch", AuditAction.EXECUTE, AgentService.RESOURCE, agentId, null, null, null),
                    failure.getMessage());
        }
    }

    void stop(String agentId) {
        runtime.close(agentId);
    }

    /** Runs one action, relaunching a stopped browser first; counts and audits it either way. */
    ActionResult act(AgentView agent, BrowserAction action) {
        String agentId = agent.agentId();
        if (runtime.session(agentId).isEmpty()) {
            AgentView restarted = start(agentId);
            if (restarted.status() != AgentStatus.RUNNING) {
                throw AgentProblems.notRestartable(agentId, restarted.statusReason());
            }
        }
        long started = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", action.type());
        if (action instanceof BrowserAction.Navigate navigate) {
            details.put("url", navigate.url());
        }
        try {
            ActionResult result = runtime.execute(agentId, action);
            details.put("page_url", result.url());
            recordAction(agentId, action, details, null, started);
            return result;
        } catch (BrowserFailure failure) {
            recordAction(agentId, action, details, failure, started);
            throw AgentProblems.browser(failure, runtime.retryAfter());
        }
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

    private AgentView update(String agentId, Consumer<BrowserAgent> change, AuditRecord failure, String reason) {
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
    }

    private static LaunchSpec launchSpec(BrowserChannel channel, boolean headless, int width, int height, String userAgent) {
        return new LaunchSpec(BrowserChannelName.valueOf(channel.name()), headless, width, height, userAgent);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
