package dev.agentapi.support;

import dev.agentapi.AgentApiApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * The service in a JVM of its own, started from the test classpath through {@code main()}: for
 * what only a real process shows (an attached Java agent, SIGTERM). Its output goes to a log file.
 *
 * <p>It listens on a port it takes itself (port 0, as its management and replica ports do in tests), and Boot's
 * {@code WebServerPortFileWriter}, added as a source, writes that port to a file the test reads: no port is
 * chosen here and bound by the service seconds later, when another process may have taken it. The JVM starts
 * with {@link #QUICK_START}.
 */
public final class ServiceProcess implements AutoCloseable {

    /**
     * Options for a cheaper start of a short-lived service JVM: C1 only (no C2 compiler threads spending CPU on code
     * that runs for minutes at most; a start took about 40 % less CPU with it on this 2-core machine) and the serial
     * collector (one GC thread, a smaller footprint). A test that passes a heap size of its own ({@code -Xmx}, its
     * subject being memory and heavy pages) keeps the JVM as the image runs it: its collector and C2 (with C1 only,
     * {@code HostilePagesTest} took 125 s instead of 56 s, its service copying and measuring 100+ MB results).
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** Where the service writes the port it listens on (in its working directory), once it does. */
    static final String PORT_FILE = "service.port";

    private final Process process;
    private final Path log;
    private final Path portFile;
    private volatile int port;

    private ServiceProcess(Process process, Path log, Path portFile) {
        this.process = process;
        this.log = log;
        this.portFile = portFile;
    }

    /** A way of starting a service that may throw; see {@link #inBackground}. */
    @FunctionalInterface
    public interface Starter {
        ServiceProcess start() throws Exception;
    }

    /** Starts a service on another thread, so several JVMs start side by side. */
    public static CompletableFuture<ServiceProcess> inBackground(Starter starter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return starter.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Starts the service on a port of its choosing against the shared test database, with the test keys. */
    public static ServiceProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        return start(workDir, environment, List.of(), args);
    }

    /** As above, the JVM started with {@code jvmOptions} (a heap limit, say) before the main class. */
    public static ServiceProcess start(Path workDir, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws IOException {
        Path portFile = workDir.resolve(PORT_FILE);
        Files.deleteIfExists(portFile);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        boolean ownHeap = jvmOptions.stream().anyMatch(option -> option.startsWith("-Xmx"));
        if (!ownHeap) {
            command.addAll(QUICK_START);
        }
        command.addAll(jvmOptions);
        // WebServerPortFileWriter reads the file's place from the PORTFILE property; the management server's port goes
        // to service-management.port beside it
        command.add("-DPORTFILE=" + portFile.toAbsolutePath());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentApiApplication.class.getName(),
                "--server.port=0",
                "--spring.main.sources=" + WebServerPortFileWriter.class.getName(),
                "--agent-api.database.url=" + TestDatabase.shared(),
                "--agent-api.security.api-keys=" + TestKeys.property()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // telemetry settings of the surrounding shell are not the test's
        builder.environment().keySet().removeIf(name -> name.startsWith("APPLICATIONINSIGHTS_"));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(), log, portFile);
    }

    /** The port the service listens on; known once it does ({@link #awaitUp()}). */
    public int port() {
        if (port == 0 && !readPort()) {
            throw new IllegalStateException("the service has not told its port yet (call awaitUp() first)");
        }
        return port;
    }

    /** Reads the port file once the service has written it (empty or absent until then). */
    private boolean readPort() {
        try {
            String text = Files.readString(portFile).trim();
            if (text.isEmpty()) {
                return false;
            }
            port = Integer.parseInt(text);
            return true;
        } catch (IOException | NumberFormatException notYet) {
            return false;
        }
    }

    public Process process() {
        return process;
    }

    /** Waits (bounded) until the liveness probe answers; fails with the log if the process exits first. */
    public ServiceProcess awaitUp() throws InterruptedException {
        return awaitUp(Duration.ofSeconds(120));
    }

    /** As {@link #awaitUp()}, waiting at most {@code within} (several JVMs starting at once on a small machine). */
    public ServiceProcess awaitUp(Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited; log:\n" + log());
            }
            try {
                if ((port != 0 || readPort()) && Api.anonymous(port).get("/health/live").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service did not start; log:\n" + log());
    }

    /** SIGTERM, then a bounded wait for the process to exit; true if it did. */
    public boolean terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!terminate(Duration.ofSeconds(30))) {
            process.destroyForcibly();
        }
    }
}
