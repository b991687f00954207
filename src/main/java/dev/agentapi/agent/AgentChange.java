package dev.agentapi.agent;

import java.util.Map;

/**
 * What a write did to an agent, published inside the transaction that made it and acted on by
 * {@link AgentAfterCommit} once that transaction commits: the cache and telemetry never show a
 * change that rolled back.
 */
sealed interface AgentChange {

    /** The agent as it now is: the cache holds this copy. */
    record Stored(AgentView view) implements AgentChange {
    }

    /** The agent was deleted at {@code version}: the cache keeps a tombstone. */
    record Removed(String agentId, long version) implements AgentChange {
    }

    /** A telemetry event about the agent. */
    record Observed(String event, Map<String, String> attributes) implements AgentChange {
    }
}
