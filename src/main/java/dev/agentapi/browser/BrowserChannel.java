package dev.agentapi.browser;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The browser families an agent can ask for, stored and shown in lower case. {@code chromium} is
 * the installed Chromium; the others are Playwright channels, usable where installed.
 */
public enum BrowserChannel {
    MSEDGE("msedge", "/opt/microsoft/msedge/msedge"),
    CHROME("chrome", "/opt/google/chrome/chrome"),
    CHROMIUM(null, null);

    private final String playwrightChannel;
    private final String installedAt;

    BrowserChannel(String playwrightChannel, String installedAt) {
        this.playwrightChannel = playwrightChannel;
        this.installedAt = installedAt;
    }

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BrowserChannel> of(String value) {
        return Arrays.stream(values()).filter(c -> c.value().equals(value)).findFirst();
    }

    String playwrightChannel() {
        return playwrightChannel;
    }

    boolean installed() {
        return installedAt == null || Files.isExecutable(Path.of(installedAt));
    }
}
