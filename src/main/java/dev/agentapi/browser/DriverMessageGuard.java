package dev.agentapi.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A preload module for Playwright's Node driver ({@code node --require driver-message-guard.js cli.js run-driver})
 * that judges every message the driver sends the service before any of it is written. Playwright's Java client
 * reads each message whole into the heap before it looks at it, and sends some events whether anyone listens
 * or not: a page's uncaught error carries its message and stack, so one {@code throw new Error('x'.repeat(5e7))}
 * would make the JVM allocate hundreds of megabytes. The guard turns a reply over the limit
 * ({@code AGENT_API_DRIVER_MAX_MESSAGE}, from {@link BrowserProperties.Limits#driverMessageBytes()}) into an
 * error reply to the same call ({@link PlaywrightFailures} reads it as {@code RESULT_TOO_LARGE}), never sends
 * page errors, and drops any other event over 16 KiB except the object lifecycle the client depends on. Only the
 * {@code run-driver} command is guarded: the driver's other commands ({@code launch-server}) print plain text.
 *
 * <p>It relies on the driver's wire format (a 4-byte little-endian length, then JSON whose first key is
 * {@code id} for a reply and {@code guid}, then {@code method}, for an event), which Playwright's Java client
 * reads the same way; {@code DriverMessageGuardTest} runs it against the real driver, so an upgrade that changes
 * the format fails there. The script is written to a temporary file once per JVM.
 */
final class DriverMessageGuard {

    /** The driver's environment variable carrying the limit; in {@link BrowserEnvironment}'s driver allow-list. */
    static final String LIMIT_VARIABLE = "AGENT_API_DRIVER_MAX_MESSAGE";
    private static final String RESOURCE = "driver-message-guard.js";
    private static Path script;

    private DriverMessageGuard() {
    }

    /** {@code node <cli.js> ...} becomes {@code node --require <guard> <cli.js> ...}. */
    static void install(List<String> command) {
        if (command.size() > 1 && !command.contains("--require")) {
            command.add(1, "--require");
            command.add(2, script().toString());
        }
    }

    private static synchronized Path script() {
        if (script == null || !Files.isReadable(script)) {
            try (InputStream source = DriverMessageGuard.class.getResourceAsStream(RESOURCE)) {
                if (source == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath");
                }
                Path file = Files.createTempFile("agent-api-driver-guard-", ".js");
                Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                script = file;
            } catch (IOException e) {
                throw new UncheckedIOException("The browser driver's message guard could not be written", e);
            }
        }
        return script;
    }
}
