package dev.agentapi.agent;

/** Another replica holds a live lease on the agent: its browser runs there, and requests about it go there. */
class OwnedElsewhere extends RuntimeException {

    private final transient AgentLeases.Holder holder;

    OwnedElsewhere(String agentId, AgentLeases.Holder holder) {
        super("Agent " + agentId + " is held by replica " + holder.replicaId(), null, false, false);
        this.holder = holder;
    }

    AgentLeases.Holder holder() {
        return holder;
    }
}
