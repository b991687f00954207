package dev.agentapi.browser;

/** The browser families an agent can ask for. {@code chromium} is the installed Chromium; the others are Playwright channels. */
public enum BrowserChannelName {
    CHROMIUM(null, null),
    CHROME("chrome", "/opt/google/chrome/chrome"),
    MSEDGE("msedge", "/opt/microsoft/msedge/msedge");

    private final String playwrightChannel;
    private final String installedAt;

    BrowserChannelName(String playwrightChannel, String installedAt) {
        this.playwrightChannel = playwrightChannel;
        this.installedAt = installedAt;
    }

    String playwrightChannel() {
        return playwrightChannel;
    }

    boolean installed() {
        return installedAt == null || java.nio.file.Files.isExecutable(java.nio.file.Path.of(installedAt));
    }

    public String value() {
        return name().toLowerCase();
    }
}
