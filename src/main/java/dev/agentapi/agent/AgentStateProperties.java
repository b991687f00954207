package dev.agentapi.agent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How agents' browser state is kept (see {@link AgentStates}). {@code key} (AGENT_STATE_KEY): the AES-256 key the
 * state is encrypted with, 32 bytes in base64, the same on every replica; required outside local mode (see
 * {@link AgentStateCipher}); in local mode, unset, one is made once and kept in {@code keyFile}. {@code saveInterval}
 * (AGENT_STATE_SAVE_INTERVAL): how often a running browser's state is saved when it changed. {@code maxSize}
 * (AGENT_STATE_MAX_SIZE): the largest state kept per agent (its JSON, before encryption); a larger one is not saved,
 * and the skip is counted and reported on the agent's state route. {@code hibernateAfter} (AGENT_HIBERNATE_AFTER): an
 * agent that keeps its state and ran no action for this long is hibernated: its state saved, its browser released
 * (see {@link AgentLifecycle}).
 */
@ConfigurationProperties(prefix = "agent-api.state")
public record AgentStateProperties(
        String key,
        @DefaultValue(".data/agent-state.key") String keyFile,
        @DefaultValue("30s") Duration saveInterval,
        @DefaultValue("5MB") DataSize maxSize,
        @DefaultValue("5m") Duration hibernateAfter) {

    public AgentStateProperties {
        if (saveInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agent-api.state.save-interval (AGENT_STATE_SAVE_INTERVAL) must be at least 1s");
        }
        if (hibernateAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agent-api.state.hibernate-after (AGENT_HIBERNATE_AFTER) must be at least 1s");
        }
        if (maxSize.toBytes() < 1024 || maxSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("agent-api.state.max-size (AGENT_STATE_MAX_SIZE) must be between 1KB and 2GB");
        }
    }
}
