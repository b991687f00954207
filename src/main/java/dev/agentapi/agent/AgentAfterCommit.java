package dev.agentapi.agent;

import dev.agentapi.telemetry.Telemetry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Cache writes and telemetry for agent changes, once the change is durable. A change published
 * outside a transaction (nothing to wait for) is acted on at once.
 */
@Component
class AgentAfterCommit {

    private final AgentViews views;
    private final Telemetry telemetry;

    AgentAfterCommit(AgentViews views, Telemetry telemetry) {
        this.views = views;
        this.telemetry = telemetry;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void stored(AgentChange.Stored change) {
        views.cache(change.view());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void removed(AgentChange.Removed change) {
        views.uncache(change.agentId(), change.version());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void observed(AgentChange.Observed change) {
        telemetry.event(change.event(), change.attributes());
    }
}
