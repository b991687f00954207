package dev.agentapi.browser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment of the Playwright driver (Node) and of the browsers: an allow-list of what a browser
 * needs (paths, locale, time zone, display), never the service's own variables (DATABASE_URL, API keys,
 * connection strings), which a compromised renderer or driver could otherwise read. {@code NODE_OPTIONS}
 * and Playwright's own switches are left out too, so the service's environment cannot change how the
 * driver runs (for instance stop it from sending loopback traffic through the egress proxy).
 */
public final class BrowserEnvironment {

    static final Set<String> NAMES = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "DISPLAY", "WAYLAND_DISPLAY",
            "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "FONTCONFIG_FILE", "FONTCONFIG_PATH");
    static final List<String> PREFIXES = List.of("LC_", "XDG_");
    /** What Playwright's Java side sets for its driver; the driver needs these and nothing of ours. */
    static final Set<String> DRIVER_NAMES = Set.of("PW_LANG_NAME", "PW_LANG_NAME_VERSION", "PW_CLI_DISPLAY_VERSION",
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "PLAYWRIGHT_NODEJS_PATH", DriverMessageGuard.LIMIT_VARIABLE);

    private BrowserEnvironment() {
    }

    /** Whether a browser may see the variable {@code name}. */
    public static boolean allowed(String name) {
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** Whether the driver may see {@code name}: what a browser may, and Playwright's own. */
    public static boolean allowedForDriver(String name) {
        return allowed(name) || DRIVER_NAMES.contains(name);
    }

    /** The part of {@code environment} a browser gets. */
    static Map<String, String> forBrowser(Map<String, String> environment) {
        Map<String, String> kept = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (allowed(name)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** Cuts a process's environment (a ProcessBuilder's) down to what the driver may see. */
    static void restrictForDriver(Map<String, String> environment) {
        environment.keySet().removeIf(name -> !allowedForDriver(name));
    }
}
