package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import java.time.Instant;
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

    /**
     * A list item: the agent without its {@code config} (read one agent for that), plus the seed's {@code id}
     * (the same value as {@code agent_id}) for its clients.
     */
    record ListedAgent(String id, String agentId, AgentStatus status, String statusReason, BrowserChannel channel,
                       BrowserChannel effectiveChannel, boolean headless, AgentView.Viewport viewport, String userAgent,
                       String createdBy, Instant createdAt, Instant updatedAt, long totalActions, long totalErrors,
                       Instant lastActionAt, long version) {
        ListedAgent(AgentSummary agent) {
            this(agent.getId(), agent.getId(), agent.getStatus(), agent.getStatusReason(), agent.getChannel(),
                    agent.getEffectiveChannel(), agent.isHeadless(),
                    new AgentView.Viewport(agent.getViewportWidth(), agent.getViewportHeight()), agent.getUserAgent(),
                    agent.getCreatedBy(), agent.getCreatedAt(), agent.getUpdatedAt(), agent.getTotalActions(),
                    agent.getTotalErrors(), agent.getLastActionAt(), agent.getVersion() == null ? 0 : agent.getVersion());
        }
    }

    /**
     * An action's result; binary results travel base64-encoded (Jackson writes a {@code byte[]} as base64 straight
     * from the bytes) unless the client asked for the raw media type.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ActionDone(boolean success, String agentId, String type, String url, String title, String text, String html,
                      String snapshot, byte[] screenshot, byte[] pdf) {
    }

    record Deleted(boolean success, String agentId) {
        Deleted(String agentId) {
            this(true, agentId);
        }
    }
}
