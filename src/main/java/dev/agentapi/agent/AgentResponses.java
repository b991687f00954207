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

    /**
     * A list page. {@code page} is null for a page asked for by cursor; {@code total} is exact when
     * {@code total_exact}, else PostgreSQL's estimate; {@code next} is the cursor of the next page (null on the last).
     */
    record Listing(List<ListedAgent> agents, int count, Integer page, int size, long total, boolean totalExact, String next) {
    }

    /** A list item: the agent, plus the seed's {@code id} (the same value as {@code agent_id}) for its clients. */
    record ListedAgent(String id, @com.fasterxml.jackson.annotation.JsonUnwrapped AgentView agent) {
        ListedAgent(AgentView agent) {
            this(agent.agentId(), agent);
        }
    }

    /** An action's result; binary results travel base64-encoded unless the client asked for the raw media type. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ActionDone(boolean success, String agentId, String type, String url, String title, String text, String html,
                      String snapshot, String screenshot, String pdf) {
    }

    record Deleted(boolean success, String agentId) {
        Deleted(String agentId) {
            this(true, agentId);
        }
    }
}
