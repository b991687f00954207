package dev.agentapi.task;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** In claim order: the database ranks them the same way (tasks.priority_rank). */
public enum TaskPriority {
    URGENT, HIGH, MEDIUM, LOW;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TaskPriority> of(String value) {
        return Arrays.stream(values()).filter(p -> p.value().equals(value)).findFirst();
    }
}
