package dev.agentapi.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Memory per agent for three ways of placing agents' browsers (issue 36), measured with bare Playwright on the
 * service's headless Chromium, the same launch switches, one page per agent on the same local page (a login that
 * sets a cookie and localStorage, a few hundred elements, a timer):
 * <ul>
 * <li>{@code browser-per-agent}: one Chromium per agent (the service today);</li>
 * <li>{@code browser-per-owner}: one Chromium per owner, a context per agent ({@code agents / owners} each);</li>
 * <li>{@code shared-browser}: one Chromium, a context per agent (owners mixed: never to be the service's layout,
 * measured as the floor).</li>
 * </ul>
 * Memory is the proportional set size (PSS, from {@code /proc/<pid>/smaps_rollup}) summed over this JVM's Chromium
 * descendants once every page has loaded and the layout has settled, so pages shared between processes of one
 * browser count once. The action latency is one navigate + read of the page's heading, on every agent in turn,
 * after a warm-up round. Run by {@code bench/density-bench.sh}; not a test.
 *
 * <p>Arguments: Chromium path, agents, owners, measured rounds.
 */
public final class DensityBench {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");

    record Result(String layout, int browsers, int agents, long pssKb, long p50Ms, long p95Ms) {
        double mbPerAgent() {
            return pssKb / 1024.0 / agents;
        }
    }

    public static void main(String[] args) throws Exception {
        Path chromium = Path.of(args[0]);
        int agents = Integer.parseInt(args[1]);
        int owners = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        if (agents % owners != 0) {
            throw new IllegalArgumentException("agents must be a multiple of owners");
        }
        HttpServer server = site();
        String page = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        List<Result> results = new ArrayList<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true).setArgs(ARGS);
            // in turn, twice, so that the machine's drift falls on all three alike; the second pass is reported
            for (int pass = 0; pass < 2; pass++) {
                results.clear();
                results.add(measure(playwright, launch, page, "browser-per-agent", agents, agents, rounds));
                results.add(measure(playwright, launch, page, "browser-per-owner", owners, agents, rounds));
                results.add(measure(playwright, launch, page, "shared-browser", 1, agents, rounds));
            }
        } finally {
            server.stop(0);
        }
        Result perAgent = results.get(0);
        System.out.printf("%d agents, %d owners; PSS of Chromium after the pages loaded; navigate + read on each agent in turn, %d rounds%n",
                agents, owners, rounds);
        System.out.printf("| layout | browsers | PSS MB | MB per agent | agents per GB | vs per-agent | action p50 / p95 ms | latency vs per-agent |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|%n");
        for (Result r : results) {
            System.out.printf("| %s | %d | %.0f | %.1f | %.1f | %.2fx | %d / %d | %.2fx |%n", r.layout(), r.browsers(), r.pssKb() / 1024.0,
                    r.mbPerAgent(), 1024 / r.mbPerAgent(), perAgent.mbPerAgent() / r.mbPerAgent(), r.p50Ms(), r.p95Ms(),
                    (double) r.p50Ms() / Math.max(1, perAgent.p50Ms()));
        }
        Result perOwner = results.get(1);
        double density = perAgent.mbPerAgent() / perOwner.mbPerAgent();
        double latency = (double) perOwner.p50Ms() / Math.max(1, perAgent.p50Ms());
        System.out.printf("browser-per-owner: %.2fx agents per GB at %.2fx the action latency (the issue's bar: >= 2x at <= 1.2x): %s%n",
                density, latency, density >= 2 && latency <= 1.2 ? "met" : "not met");
    }

    private static Result measure(Playwright playwright, BrowserType.LaunchOptions launch, String url, String layout,
                                  int browserCount, int agents, int rounds) throws Exception {
        List<Browser> browsers = new ArrayList<>();
        List<Page> pages = new ArrayList<>();
        try {
            for (int b = 0; b < browserCount; b++) {
                browsers.add(playwright.chromium().launch(launch));
            }
            for (int a = 0; a < agents; a++) {
                // agents go to their owner's browser; in the per-agent layout every agent is its own owner
                Browser browser = browsers.get(a % browserCount);
                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 720));
                Page page = context.newPage();
                page.navigate(url + "?agent=" + a);
                pages.add(page);
            }
            for (Page page : pages) { // warm-up round, and every page has run its login script
                page.navigate(url);
                page.textContent("h1");
            }
            Thread.sleep(3000); // let the renderers settle (GC, caches) before reading memory
            long pss = chromiumPssKb();
            List<Long> ms = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (Page page : pages) {
                    long start = System.nanoTime();
                    page.navigate(url);
                    page.textContent("h1");
                    ms.add((System.nanoTime() - start) / 1_000_000);
                }
            }
            return new Result(layout, browserCount, agents, pss, BrowserBench.pct(ms, 50), BrowserBench.pct(ms, 95));
        } finally {
            for (Browser browser : browsers) {
                browser.close();
            }
        }
    }

    /** PSS summed over this JVM's descendants that are Chromium (the Playwright driver, a node process, left out). */
    private static long chromiumPssKb() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
                .mapToLong(p -> pssKb(p.pid())).sum();
    }

    private static long pssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended between listing and reading
        }
        return 0;
    }

    /** A page such as an agent keeps open: a login that sets a cookie and localStorage, some DOM, a timer. */
    private static HttpServer site() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            rows.append("<li><a href=\"/item/").append(i).append("\">Item ").append(i).append("</a> <button>Add</button></li>");
        }
        byte[] html = ("<!doctype html><html><head><title>Density</title></head><body><h1>Signed in</h1><ul>" + rows
                + "</ul><p id=t></p><script>localStorage.setItem('session','s-'+Math.random());"
                + "setInterval(()=>{document.getElementById('t').textContent=Date.now()},1000)</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/; HttpOnly");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        server.setExecutor(null);
        server.start();
        return server;
    }
}
