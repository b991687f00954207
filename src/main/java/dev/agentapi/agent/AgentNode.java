package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;

/**
 * Where an agent's browser lives, as the requests that must run beside it see it: this replica
 * ({@link LocalAgentNode}) or the replica holding the agent's lease ({@link RemoteAgentNode}), in the manner of
 * Selenium Grid's {@code LocalNode} and {@code RemoteNode}. {@link AgentNodes} picks one from the lease. Callers
 * have checked the request and that the current caller may see the agent; a node acts as that caller.
 */
sealed interface AgentNode permits LocalAgentNode, RemoteAgentNode {

    /**
     * Runs one browser action in the agent's browser, counted and audited. The local node fails with
     * {@link OwnedElsewhere} when launching the browser here lost to another replica's launch.
     */
    ActionResult act(AgentView agent, BrowserAction action);

    /** Closes the agent's browser and soft-deletes the agent, audited. */
    void delete(String agentId);
}
