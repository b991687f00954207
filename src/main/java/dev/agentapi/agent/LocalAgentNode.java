package dev.agentapi.agent;

import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import org.springframework.stereotype.Component;

/**
 * The agent's browser in this replica: run by {@link AgentBrowsers}, recorded by {@link AgentLifecycle}. It
 * never sends a request on; when it finds the agent's browser is another replica's after all (a launch here
 * lost the lease to one there), it fails with {@link OwnedElsewhere} and its caller decides what follows.
 */
@Component
final class LocalAgentNode implements AgentNode {

    private final AgentBrowsers browsers;
    private final AgentLifecycle lifecycle;
    private final AuditTrail audit;
    private final AgentHolds holds;

    LocalAgentNode(AgentBrowsers browsers, AgentLifecycle lifecycle, AuditTrail audit, AgentHolds holds) {
        this.holds = holds;
        this.browsers = browsers;
        this.lifecycle = lifecycle;
        this.audit = audit;
    }

    /**
     * An action may relaunch the browser: within the owner's quota, counted where it is marked starting. While a person
     * holds the agent it is refused (409, audited), or waits for the release first ({@link AgentHolds#admit}).
     */
    @Override
    public ActionResult act(AgentView agent, BrowserAction action) {
        try {
            holds.admit(agent.agentId());
        } catch (RuntimeException held) {
            audit.recordFailure(AgentService.actionAttempt(agent.agentId(), action), AgentProblems.describe(held));
            throw held;
        }
        return browsers.act(agent, action);
    }

    @Override
    public void delete(String agentId) {
        AuditRecord attempt = AgentService.deleteAttempt(agentId);
        browsers.stop(agentId);
        try {
            lifecycle.deleted(agentId, attempt);
        } catch (RuntimeException failure) {
            audit.recordFailure(attempt, AgentProblems.describe(failure));
            throw failure;
        }
        browsers.stop(agentId); // a relaunch that raced the delete ends here, not at the idle timeout
    }
}
