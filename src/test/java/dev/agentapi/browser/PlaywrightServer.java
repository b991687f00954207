package dev.agentapi.browser;

import com.microsoft.playwright.impl.driver.Driver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Playwright browser server on 127.0.0.1, as a browser pod would run one: the driver bundled in the
 * Playwright jar, {@code cli.js launch-server --browser chromium --config <json>}, launching the installed
 * Chromium (never a download). It listens on a fixed port and path, so after {@link #kill()} a
 * {@link #start()} brings the same endpoint back. Its Chromium also listens for DevTools on a port of its
 * own, only so a test can list the pages it has ({@link #pageUrls()}).
 */
public final class PlaywrightServer implements AutoCloseable {

    private static PlaywrightServer shared;

    private final int port = freePort();
    private final int devtoolsPort = freePort();
    private Process process;
    private List<ProcessHandle> tree = List.of();

    /**
     * The server of {@code @DatabaseOutageIntegrationTest}'s context (where {@code RemoteBrowserTest} runs), started on
     * first use and killed when the JVM exits; empty without an installed Chromium.
     */
    public static synchronized java.util.Optional<PlaywrightServer> shared() {
        if (shared == null) {
            if (!Files.isExecutable(Path.of(RequiresChromium.EXECUTABLE))) {
                return java.util.Optional.empty();
            }
            PlaywrightServer server = new PlaywrightServer();
            try {
                server.start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            shared = server;
        }
        return java.util.Optional.of(shared);
    }

    /** {@code playwright ws://127.0.0.1:<port>/pw max <capacity>}, for BROWSER_REMOTE_ENDPOINTS. */
    public String endpoint(int capacity) {
        return "playwright " + wsEndpoint() + " max " + capacity;
    }

    String wsEndpoint() {
        return "ws://127.0.0.1:" + port + "/pw";
    }

    void start() throws IOException {
        // the JVM's one driver: made as the runtime makes it, whichever comes first (the runtime's guard and
        // environment would otherwise be missing for every later test of this JVM)
        MinimalEnvironmentDriver.install();
        Driver driver = Driver.ensureDriverInstalled(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), false);
        Path config = Files.createTempFile("playwright-server", ".json");
        Files.writeString(config, """
                {"executablePath": "%s", "host": "127.0.0.1", "port": %d, "wsPath": "/pw", "headless": true,
                 "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                          "--remote-debugging-port=%d"]}
                """.formatted(RequiresChromium.EXECUTABLE, port, devtoolsPort));
        ProcessBuilder builder = driver.createProcessBuilder();
        builder.command().addAll(List.of("launch-server", "--browser", "chromium", "--config", config.toString()));
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String printed;
        try {
            printed = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            throw new IOException("The Playwright server did not start", e);
        }
        if (printed == null || !printed.startsWith(wsEndpoint())) {
            kill();
            throw new IOException("The Playwright server printed " + printed + ", not " + wsEndpoint());
        }
        tree = java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.toHandle().descendants()).toList();
    }

    /** SIGKILL to the server and its browser: the endpoint dies as a crashed pod's would. */
    void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = java.util.stream.Stream.concat(tree.stream(), process.toHandle().descendants()).distinct().toList();
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> handle).join());
        process = null;
    }

    /** The URLs of the pages open in the server's browser now (every connection's contexts). */
    List<String> pageUrls() throws Exception {
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + devtoolsPort + "/json/list")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode targets = JsonMapper.builder().build().readTree(list.body());
        return targets.valueStream().filter(t -> t.get("type").asString().equals("page"))
                .map(t -> t.get("url").asString()).toList();
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
