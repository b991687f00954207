package dev.agentapi.agent;

import java.util.List;

/** Response envelopes of the seed-compatible agent API. */
final class AgentResponses {

    private AgentResponses() {
    }

    record Created(boolean success, String agentId, AgentStatus status, boolean persisted, AgentView agent) {
        Created(AgentView agent) {
            this(true, agent.agentId(), agent.status(), true, agent);
        }
    }

    record Listing(List<AgentView> agents, int count, int page, int size, long total) {
    }

    record Deleted(boolean success, String agentId) {
        Deleted(String agentId) {
            this(true, agentId);
        }
    }
}
