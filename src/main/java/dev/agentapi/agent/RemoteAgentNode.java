package dev.agentapi.agent;

import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import java.util.function.Supplier;

/**
 * The agent's browser on the replica that holds its lease: each request goes there through
 * {@link AgentForwarding}, as the current caller, and the holder's answer (result or problem) is this node's.
 * The holder audits what it does; a holder that cannot be reached (503) or does not answer in time (504) is
 * audited here.
 */
final class RemoteAgentNode implements AgentNode {

    private final AgentLeases.Holder holder;
    private final AgentForwarding forwarding;
    private final AuditTrail audit;

    RemoteAgentNode(AgentLeases.Holder holder, AgentForwarding forwarding, AuditTrail audit) {
        this.holder = holder;
        this.forwarding = forwarding;
        this.audit = audit;
    }

    @Override
    public ActionResult act(AgentView agent, BrowserAction action) {
        return sent(AgentService.actionAttempt(agent.agentId(), action), () -> forwarding.act(holder, agent.agentId(), action));
    }

    @Override
    public void delete(String agentId) {
        sent(AgentService.deleteAttempt(agentId), () -> {
            forwarding.delete(holder, agentId);
            return null;
        });
    }

    private <T> T sent(AuditRecord attempt, Supplier<T> request) {
        try {
            return request.get();
        } catch (AgentForwarding.ForwardedProblem answered) {
            throw answered; // the holder's own answer, audited there
        } catch (RuntimeException unreachable) {
            audit.recordFailure(attempt, AgentProblems.describe(unreachable));
            throw unreachable;
        }
    }
}
