package dev.agentapi.agent;

import dev.agentapi.audit.AuditRefusals;
import dev.agentapi.browser.EgressRefused;
import dev.agentapi.security.Actor;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An agent's egress refusals in the audit trail, in the name of the agent's owner: counted per agent and written
 * once a window (see {@link AuditRefusals}), since a hostile page can be refused thousands of times a second.
 * The owner is looked up when the window is written.
 */
@Component
class AgentRefusalAudit {

    private final AuditRefusals refusals;
    private final BrowserAgentRepository agents;

    AgentRefusalAudit(AuditRefusals refusals, BrowserAgentRepository agents) {
        this.refusals = refusals;
        this.agents = agents;
    }

    @EventListener
    void on(EgressRefused refused) {
        String agentId = refused.agentId();
        refusals.count("egress.refused", "agent", agentId, null, null, () -> owner(agentId),
                Map.of("target", refused.target(), "kind", refused.kind(), "reason", refused.reason()));
    }

    /** The agent's owner (deleted since or not); a browser with no agent row (a pooled one) is the system's. */
    private Actor owner(String agentId) {
        return agents.findById(agentId).map(agent -> new Actor(agent.getCreatedBy(), null, null, null, false))
                .orElseGet(Actor::system);
    }
}
