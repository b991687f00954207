package dev.agentapi.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Lifecycle of a browser agent; stored and shown in lower case. */
public enum AgentStatus {
    CREATED, STARTING, RUNNING, STOPPED, ERROR;

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    public static Optional<AgentStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
