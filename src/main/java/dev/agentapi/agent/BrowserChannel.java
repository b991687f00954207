package dev.agentapi.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Which browser family an agent runs; stored and shown in lower case. */
public enum BrowserChannel {
    MSEDGE, CHROME, CHROMIUM;

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    public static Optional<BrowserChannel> of(String value) {
        return Arrays.stream(values()).filter(c -> c.value().equals(value)).findFirst();
    }
}
