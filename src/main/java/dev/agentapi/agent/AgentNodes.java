package dev.agentapi.agent;

import dev.agentapi.audit.AuditTrail;
import org.springframework.stereotype.Component;

/**
 * Picks the {@link AgentNode} an agent's requests go to from its lease: the replica holding a live lease on it,
 * or this replica (which launches the browser when nobody runs it). The lease is read from memory when this
 * replica holds it, from {@code agent_leases} otherwise.
 */
@Component
class AgentNodes {

    private final AgentLeases leases;
    private final LocalAgentNode local;
    private final AgentForwarding forwarding;
    private final AuditTrail audit;

    AgentNodes(AgentLeases leases, LocalAgentNode local, AgentForwarding forwarding, AuditTrail audit) {
        this.leases = leases;
        this.local = local;
        this.forwarding = forwarding;
        this.audit = audit;
    }

    /** The node holding the agent's browser: another replica's while its lease there is live, else this one. */
    AgentNode holding(String agentId) {
        return leases.heldElsewhere(agentId).<AgentNode>map(this::remote).orElse(local);
    }

    /** The replica named by a lease, as a node. */
    AgentNode remote(AgentLeases.Holder holder) {
        return new RemoteAgentNode(holder, forwarding, audit);
    }

    /**
     * This replica's node, for a request that must be served here (another replica forwarded it); fails with
     * {@link OwnedElsewhere} when another replica holds the agent's browser (it moved on the way).
     */
    LocalAgentNode here(String agentId) {
        leases.heldElsewhere(agentId).ifPresent(holder -> {
            throw new OwnedElsewhere(agentId, holder);
        });
        return local;
    }
}
