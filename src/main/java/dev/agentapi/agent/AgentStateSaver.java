package dev.agentapi.agent;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.browser.BrowserRuntime;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Saves, every {@code AGENT_STATE_SAVE_INTERVAL}, the state of each browser this replica holds, when it changed (see
 * {@link AgentStates}): a replica that dies loses at most that interval of its agents' state. A browser busy with an
 * action longer than the busy wait is saved at the next round. Its phase ({@link LifecyclePhases#AGENT_STATE_SAVES})
 * stops it before the leases are handed back, which saves each browser one last time.
 */
@Component
class AgentStateSaver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AgentStateSaver.class);

    private final AgentLeases leases;
    private final AgentStates states;
    private final BrowserRuntime runtime;
    private final TaskScheduler scheduler;
    private final AgentStateProperties properties;
    private volatile ScheduledFuture<?> scheduled;

    AgentStateSaver(AgentLeases leases, AgentStates states, BrowserRuntime runtime, TaskScheduler scheduler,
                    AgentStateProperties properties) {
        this.leases = leases;
        this.states = states;
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.properties = properties;
    }

    /** One round: every browser held here whose state changed since its last save is saved. */
    void saveAll() {
        for (String agentId : leases.held()) {
            try {
                runtime.capture(agentId).ifPresent(state -> states.save(agentId, state, "periodic"));
            } catch (RuntimeException e) {
                log.warn("Periodic save of agent {}'s browser state failed: {}", agentId, e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void start() {
        scheduled = scheduler.scheduleWithFixedDelay(this::saveAll, properties.saveInterval());
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = scheduled;
        scheduled = null;
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return scheduled != null;
    }

    /** A paused context keeps its browsers, so it keeps saving them. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.AGENT_STATE_SAVES;
    }
}
