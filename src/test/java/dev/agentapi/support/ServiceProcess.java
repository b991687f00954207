package dev.agentapi.support;

import dev.agentapi.AgentApiApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The service in a JVM of its own, started from the test classpath through {@code main()}: for
 * what only a real process shows (an attached Java agent, SIGTERM). Its output goes to a log file.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
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

    /** Starts the service on a free port against the shared test database, with the test keys. */
    public static ServiceProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        return start(workDir, environment, List.of(), args);
    }

    /** As above, the JVM started with {@code jvmOptions} (a heap limit, say) before the main class. */
    public static ServiceProcess start(Path workDir, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentApiApplication.class.getName(),
                "--server.port=" + port,
                "--agent-api.database.url=" + TestDatabase.shared(),
                "--agent-api.security.api-keys=" + TestKeys.property()));
        command.addAll(List.of(args));
        Path log = workDir.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // telemetry settings of the surrounding shell are not the test's
        builder.environment().keySet().removeIf(name -> name.startsWith("APPLICATIONINSIGHTS_"));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(), log, port);
    }

    public int port() {
        return port;
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
        Api api = Api.anonymous(port);
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited; log:\n" + log());
            }
            try {
                if (api.get("/health/live").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            Thread.sleep(500);
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
