package dev.agentapi.task;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum TaskStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    static Optional<TaskStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
