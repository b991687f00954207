package dev.agentapi.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Lifecycle of a browser agent; stored and shown in lower case. {@code HIBERNATED}: idle for {@code AGENT_HIBERNATE_AFTER},
 * its state saved and its browser released; its next action wakes it (as any action relaunches a stopped agent).
 */
public enum AgentStatus {
    CREATED, STARTING, RUNNING, STOPPED, ERROR, HIBERNATED;

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    public static Optional<AgentStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
