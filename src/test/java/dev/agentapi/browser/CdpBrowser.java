package dev.agentapi.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The installed Chromium, headless, with a DevTools endpoint on a port it picks itself: a CDP endpoint such
 * as a Browserless or Selenium Grid node offers, for {@code connectOverCDP}.
 */
final class CdpBrowser implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final int port;
    private final Path profile;

    CdpBrowser() throws IOException {
        profile = Files.createTempDirectory("cdp-browser");
        process = new ProcessBuilder(RequiresChromium.EXECUTABLE, "--headless", "--no-sandbox", "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile, "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        Integer found;
        try {
            found = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = err.readLine(); line != null; line = err.readLine()) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            found = null;
        }
        if (found == null) {
            close();
            throw new IOException("Chromium printed no DevTools endpoint");
        }
        port = found;
        // keep reading so a full stderr pipe never blocks the browser
        Thread drain = new Thread(() -> err.lines().forEach(line -> { }), "cdp-browser-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /** {@code cdp http://127.0.0.1:<port> max <capacity>}, for BROWSER_REMOTE_ENDPOINTS. */
    String endpoint(int capacity) {
        return "cdp http://127.0.0.1:" + port + " max " + capacity;
    }

    /** The URLs of the browser's pages now. */
    List<String> pageUrls() throws Exception {
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode targets = JsonMapper.builder().build().readTree(list.body());
        return targets.valueStream().filter(t -> t.get("type").asString().equals("page"))
                .map(t -> t.get("url").asString()).toList();
    }

    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
