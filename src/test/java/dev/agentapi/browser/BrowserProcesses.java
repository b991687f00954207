package dev.agentapi.browser;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/** Finds the Chromium processes the service launched, by the marker each carries on its command line. */
public final class BrowserProcesses {

    private BrowserProcesses() {
    }

    public static List<ProcessHandle> of(String agentId) {
        String marker = BrowserSession.PROCESS_MARKER + agentId;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> java.util.Arrays.asList(args).contains(marker)).orElse(false))
                .toList();
    }

    /** The Playwright driver (Node) process that launched the agent's browser. */
    public static ProcessHandle driverOf(String agentId) {
        return of(agentId).stream()
                .map(ProcessHandle::parent).flatMap(java.util.Optional::stream)
                .filter(BrowserProcesses::isDriver)
                .findFirst().orElseThrow(() -> new AssertionError("no driver process found for agent " + agentId));
    }

    /**
     * A browser's own (main) process: Chromium gives every helper it starts (renderer, GPU, utility, zygote,
     * crash handler) a {@code --type=} switch, and a helper whose parent exited is reparented, so having no
     * marked parent alone does not make a process a browser.
     */
    public static boolean isBrowserMain(ProcessHandle process) {
        return process.info().arguments().map(args -> java.util.Arrays.stream(args).noneMatch(a -> a.startsWith("--type=")))
                .orElse(false);
    }

    public static boolean isDriver(ProcessHandle process) {
        return process.info().commandLine().map(c -> c.contains("run-driver")).orElse(false);
    }

    /** Waits (bounded) until none is left; returns what is still alive. */
    public static List<ProcessHandle> awaitGone(String agentId) {
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> alive(agentId).isEmpty());
        } catch (ConditionTimeoutException stillThere) {
            // the caller asserts on what is left, naming the processes
        }
        return alive(agentId);
    }

    private static List<ProcessHandle> alive(String agentId) {
        return of(agentId).stream().filter(ProcessHandle::isAlive).toList();
    }
}
