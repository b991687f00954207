package dev.agentapi.bench;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live view cost: frames per second and CPU per viewer with 1 and 3 SSE viewers ({@code GET .../live}) on one agent
 * whose page animates every frame, next to bare Playwright in the same run: one CDP {@code Page.startScreencast} of the
 * same page in the same Chromium binary, the same JPEG size and quality, each frame acknowledged no sooner than the
 * service's minimum interval (its {@code max-fps}), delivered to the same number of in-process "viewers". CPU is read
 * from /proc (utime + stime): the service JVM, its Playwright driver (node) and its Chromium processes; for bare, this
 * JVM, its driver and its Chromium. Run by bench/live-bench.sh; not a test.
 *
 * <p>Arguments: service base URL, API key, service pid, Chromium path, seconds measured per phase, viewer counts
 * (comma-separated), max fps, max width/height, JPEG quality, result file.
 */
public final class LiveBench {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    /** One phase's figures: frames each viewer got, and CPU seconds of the three kinds of process, over {@code seconds}. */
    /** {@code firstFrameMs}: the slowest viewer's time from asking (the GET, or {@code Page.startScreencast}) to its first frame. */
    record Phase(String side, int viewers, double seconds, long[] frames, double jvmCpu, double driverCpu, double chromiumCpu,
                 long firstFrameMs) {

        double fpsPerViewer() {
            long total = 0;
            for (long f : frames) {
                total += f;
            }
            return total / (double) viewers / seconds;
        }

        /** All CPU (JVM, driver, Chromium) in milliseconds per frame a viewer got: per-viewer cost with the frame rate taken out. */
        double perViewerFrame() {
            long total = 0;
            for (long f : frames) {
                total += f;
            }
            return (jvmCpu + driverCpu + chromiumCpu) * 1000 / Math.max(1, total);
        }

        /** CPU milliseconds per viewer-second. */
        double perViewerSecond(double cpuSeconds) {
            return cpuSeconds * 1000 / (viewers * seconds);
        }
    }

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String key = args[1];
        long servicePid = Long.parseLong(args[2]);
        String chromium = args[3];
        int seconds = Integer.parseInt(args[4]);
        List<Integer> viewerCounts = java.util.Arrays.stream(args[5].split(",")).map(Integer::parseInt).toList();
        int maxFps = Integer.parseInt(args[6]);
        int maxSize = Integer.parseInt(args[7]);
        int quality = Integer.parseInt(args[8]);
        Path results = Path.of(args[9]);

        HttpServer pages = animatedPage();
        String page = "http://127.0.0.1:" + pages.getAddress().getPort() + "/";
        HttpClient http = HttpClient.newHttpClient();
        List<Phase> phases = new ArrayList<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setExecutablePath(Path.of(chromium))
                    .setHeadless(true).setArgs(ARGS);
            // a first, unmeasured round of each side: JIT, page cache, Chromium's first start
            service(http, service, key, servicePid, page, 1, 2);
            bare(playwright, launch, page, 1, 2, maxFps, maxSize, quality);
            for (int viewers : viewerCounts) { // interleaved, so that machine noise falls on both sides alike
                phases.add(service(http, service, key, servicePid, page, viewers, seconds));
                phases.add(bare(playwright, launch, page, viewers, seconds, maxFps, maxSize, quality));
            }
        } finally {
            pages.stop(0);
        }

        StringBuilder out = new StringBuilder();
        out.append(String.format("%d s per phase, page %dx%d animating every frame, frames <= %d fps, <= %d px, JPEG quality %d%n",
                seconds, WIDTH, HEIGHT, maxFps, maxSize, quality));
        out.append(String.format("%-8s %7s %12s %22s %22s %22s %22s %16s%n", "side", "viewers", "fps/viewer",
                "JVM ms/viewer-s", "driver ms/viewer-s", "Chromium ms/viewer-s", "all ms/viewer-frame", "first frame ms"));
        for (Phase p : phases) {
            out.append(String.format("%-8s %7d %12.2f %22.1f %22.1f %22.1f %22.1f %16d%n", p.side(), p.viewers(), p.fpsPerViewer(),
                    p.perViewerSecond(p.jvmCpu()), p.perViewerSecond(p.driverCpu()), p.perViewerSecond(p.chromiumCpu()),
                    p.perViewerFrame(), p.firstFrameMs()));
        }
        for (int i = 0; i + 1 < phases.size(); i += 2) {
            Phase ours = phases.get(i);
            Phase bare = phases.get(i + 1);
            out.append(String.format("ratio ours/bare, %d viewer(s): fps %.2f, JVM+driver CPU %.2f, Chromium CPU %.2f, all CPU %.2f, "
                            + "all CPU per viewer-frame %.2f%n",
                    ours.viewers(), ours.fpsPerViewer() / bare.fpsPerViewer(),
                    (ours.jvmCpu() + ours.driverCpu()) / (bare.jvmCpu() + bare.driverCpu()),
                    ours.chromiumCpu() / bare.chromiumCpu(),
                    (ours.jvmCpu() + ours.driverCpu() + ours.chromiumCpu()) / (bare.jvmCpu() + bare.driverCpu() + bare.chromiumCpu()),
                    ours.perViewerFrame() / bare.perViewerFrame()));
        }
        System.out.print(out);
        Files.writeString(results, out.toString());
    }

    /** A page that changes every frame: a counter and a box moved by requestAnimationFrame. */
    private static HttpServer animatedPage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] html = ("<html><head><title>Animated</title><style>body{margin:0;font:48px sans-serif}"
                + "#box{position:absolute;top:200px;width:120px;height:120px;background:#c33}</style></head><body>"
                + "<p id='n'>0</p><div id='box'></div><script>let n = 0; function tick() { n++;"
                + "document.getElementById('n').textContent = n; document.getElementById('box').style.left = (n * 7 % 1100) + 'px';"
                + "requestAnimationFrame(tick); } requestAnimationFrame(tick);</script></body></html>").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The service: an agent on the page, {@code viewers} SSE viewers, frames counted and the service's CPU read. */
    private static Phase service(HttpClient http, String service, String key, long servicePid, String page, int viewers,
                                 int seconds) throws Exception {
        String agent = "live-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        BrowserBench.call(http, "POST", service + "/api/agents/browser", key, "{\"agent_id\": \"" + agent + "\", \"viewport\": {\"width\": "
                + WIDTH + ", \"height\": " + HEIGHT + "}}");
        BrowserBench.call(http, "POST", service + "/api/agents/browser/" + agent + "/actions", key,
                "{\"type\": \"navigate\", \"url\": \"" + page + "\"}");
        AtomicLong[] frames = new AtomicLong[viewers];
        CountDownLatch first = new CountDownLatch(viewers);
        List<Thread> readers = new ArrayList<>();
        List<InputStream> streams = new ArrayList<>();
        AtomicLong firstFrameMs = new AtomicLong();
        for (int v = 0; v < viewers; v++) {
            AtomicLong counted = frames[v] = new AtomicLong();
            long asked = System.nanoTime();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(service + "/api/agents/browser/" + agent + "/live"))
                    .header("X-API-Key", key).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("live view answered " + response.statusCode() + ": "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            streams.add(response.body());
            Thread reader = new Thread(() -> {
                boolean seen = false;
                try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 1 << 20)) {
                    for (String line; (line = events.readLine()) != null; ) {
                        if (line.equals("event:frame")) {
                            counted.incrementAndGet();
                            if (!seen) {
                                seen = true;
                                firstFrameMs.accumulateAndGet((System.nanoTime() - asked) / 1_000_000, Math::max);
                                first.countDown();
                            }
                        }
                    }
                } catch (IOException closed) {
                    // the viewer left
                }
            }, "viewer-" + v);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        if (!first.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a viewer got no frame within 60 s");
        }
        Thread.sleep(WARM_UP.toMillis());
        Phase phase = measure("ours", viewers, seconds, servicePid, frames, firstFrameMs.get());
        for (InputStream stream : streams) {
            stream.close();
        }
        BrowserBench.call(http, "DELETE", service + "/api/agents/browser/" + agent, key, null);
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        return phase;
    }

    /**
     * Bare Playwright: one screencast of the same page, each frame acknowledged no sooner than 1 / max-fps after it came
     * (as the service paces its stream), handed to {@code viewers} in-process viewers (counted).
     */
    private static Phase bare(Playwright playwright, BrowserType.LaunchOptions launch, String page, int viewers, int seconds,
                              int maxFps, int maxSize, int quality) {
        Browser browser = playwright.chromium().launch(launch);
        try {
            Page p = browser.newContext(new Browser.NewContextOptions().setViewportSize(WIDTH, HEIGHT)).newPage();
            p.navigate(page);
            CDPSession devtools = p.context().newCDPSession(p);
            long interval = TimeUnit.SECONDS.toNanos(1) / maxFps;
            AtomicLong[] frames = new AtomicLong[viewers];
            for (int v = 0; v < viewers; v++) {
                frames[v] = new AtomicLong();
            }
            long[] pending = {-1, 0}; // session id to acknowledge, not before this nanoTime
            long[] firstFrame = {0, 0}; // when asked, when the first frame came (nanoTime)
            devtools.on("Page.screencastFrame", event -> {
                if (firstFrame[1] == 0) {
                    firstFrame[1] = System.nanoTime();
                }
                for (AtomicLong viewer : frames) { // each viewer gets the frame (its base64 JPEG, parsed by Playwright)
                    viewer.incrementAndGet();
                }
                pending[0] = event.get("sessionId").getAsInt();
                pending[1] = System.nanoTime() + interval;
            });
            JsonObject start = new JsonObject();
            start.addProperty("format", "jpeg");
            start.addProperty("quality", quality);
            start.addProperty("maxWidth", maxSize);
            start.addProperty("maxHeight", maxSize);
            start.addProperty("everyNthFrame", 1);
            firstFrame[0] = System.nanoTime();
            devtools.send("Page.startScreencast", start);
            long warmEnd = System.nanoTime() + WARM_UP.toNanos();
            pump(p, devtools, pending, warmEnd);
            long[] before = cpu(ProcessHandle.current().pid());
            long[] counts = counts(frames);
            long t0 = System.nanoTime();
            pump(p, devtools, pending, t0 + TimeUnit.SECONDS.toNanos(seconds));
            return phase("bare", viewers, t0, before, ProcessHandle.current().pid(), counts, frames, (firstFrame[1] - firstFrame[0]) / 1_000_000);
        } finally {
            browser.close();
        }
    }

    /** Acknowledges frames as their interval passes, until {@code end}; Playwright delivers events while this waits. */
    private static void pump(Page page, CDPSession devtools, long[] pending, long end) {
        while (System.nanoTime() - end < 0) {
            long now = System.nanoTime();
            if (pending[0] >= 0 && now - pending[1] >= 0) {
                JsonObject ack = new JsonObject();
                ack.addProperty("sessionId", pending[0]);
                pending[0] = -1;
                devtools.send("Page.screencastFrameAck", ack);
            }
            long until = pending[0] >= 0 && pending[1] - end < 0 ? pending[1] : end;
            long seen = pending[1];
            page.waitForCondition(() -> pending[1] != seen || System.nanoTime() - until >= 0,
                    new Page.WaitForConditionOptions().setTimeout(60_000));
        }
    }

    private static Phase measure(String side, int viewers, int seconds, long root, AtomicLong[] frames, long firstFrameMs)
            throws InterruptedException {
        long[] before = cpu(root);
        long[] counts = counts(frames);
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        return phase(side, viewers, t0, before, root, counts, frames, firstFrameMs);
    }

    private static Phase phase(String side, int viewers, long t0, long[] cpuBefore, long root, long[] countsBefore, AtomicLong[] frames,
                               long firstFrameMs) {
        long[] cpuAfter = cpu(root);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] got = new long[viewers];
        for (int v = 0; v < viewers; v++) {
            got[v] = frames[v].get() - countsBefore[v];
        }
        return new Phase(side, viewers, elapsed, got, seconds(cpuAfter[0] - cpuBefore[0]), seconds(cpuAfter[1] - cpuBefore[1]),
                seconds(cpuAfter[2] - cpuBefore[2]), firstFrameMs);
    }

    private static long[] counts(AtomicLong[] frames) {
        long[] counts = new long[frames.length];
        for (int v = 0; v < frames.length; v++) {
            counts[v] = frames[v].get();
        }
        return counts;
    }

    private static double seconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** utime + stime in clock ticks of the process {@code root} (a JVM), of its Playwright drivers (node), and of the rest of its descendants (Chromium). */
    static long[] cpu(long root) {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, long[]> stats = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parents.put(pid, Long.parseLong(fields[1])); // fields after "(comm)": state ppid ... utime(12) stime(13)
                    stats.put(pid, new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12])});
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long[] out = new long[3];
        for (Map.Entry<Long, long[]> entry : stats.entrySet()) {
            long pid = entry.getKey();
            if (pid == root) {
                out[0] += entry.getValue()[0];
            } else if (descends(pid, root, parents)) {
                out[driver(pid) ? 1 : 2] += entry.getValue()[0];
            }
        }
        return out;
    }

    /** Playwright's driver: a node process (whose main thread names itself "MainThread", so its comm says little). */
    private static boolean driver(long pid) {
        try {
            String command = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            int end = command.indexOf('\0');
            return (end < 0 ? command : command.substring(0, end)).endsWith("/node");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static boolean descends(long pid, long root, Map<Long, Long> parents) {
        for (Long p = parents.get(pid); p != null && p > 1; p = parents.get(p)) {
            if (p == root) {
                return true;
            }
        }
        return false;
    }
}
