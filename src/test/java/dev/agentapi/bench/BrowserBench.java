package dev.agentapi.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Browser latency through the service next to the same steps done by a bare Playwright program, in
 * one run: create + navigate to a local page + screenshot (then delete / close), and a warm action
 * (navigate) on an existing browser. Run by bench/browser-bench.sh; not a test.
 *
 * Arguments: service base URL, API key, Chromium path, repetitions, warm-up actions, warm-up create cycles.
 */
public final class BrowserBench {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String key = args[1];
        String chromium = args[2];
        int runs = Integer.parseInt(args[3]);
        int warmActions = Integer.parseInt(args[4]);
        int warmCycles = Integer.parseInt(args[5]);

        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] html = "<html><head><title>Bench</title></head><body><h1>Benchmark page</h1><p>Some text.</p></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pages.start();
        String page = "http://127.0.0.1:" + pages.getAddress().getPort() + "/";
        HttpClient http = HttpClient.newHttpClient();

        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setExecutablePath(Path.of(chromium))
                    .setHeadless(true).setArgs(ARGS);
            String tag = "bench-" + ProcessHandle.current().pid();

            // One warm browser each way, kept through the run, for the warm action.
            Browser browser = playwright.chromium().launch(launch);
            Page bare = browser.newContext(new Browser.NewContextOptions().setViewportSize(1920, 1080)).newPage();
            String agent = tag + "-warm";
            call(http, "POST", service + "/api/agents/browser", key, "{\"agent_id\": \"" + agent + "\"}");
            String actions = service + "/api/agents/browser/" + agent + "/actions";
            String navigate = "{\"type\": \"navigate\", \"url\": \"" + page + "\"}";
            Supplier<String> bareWarm = () -> {
                bare.navigate(page);
                return bare.title();
            };
            Supplier<String> serviceWarm = () -> call(http, "POST", actions, key, navigate);

            // Warm-up, not measured: a service runs for days, so its JIT-compiled steady state is
            // what is compared; the bare program gets the same warm-up.
            for (int i = 0; i < warmActions; i++) {
                bareWarm.get();
                serviceWarm.get();
            }
            for (int i = 0; i < warmCycles; i++) {
                bareCold(playwright, launch, page);
                serviceCold(http, service, key, page, tag + "-warmup-" + i);
            }

            // Measured, interleaved step by step so that machine noise falls on both sides alike.
            List<Long> bareColdMs = new ArrayList<>();
            List<Long> serviceColdMs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int n = i;
                bareColdMs.add(time(() -> bareCold(playwright, launch, page)));
                serviceColdMs.add(time(() -> serviceCold(http, service, key, page, tag + "-cold-" + n)));
            }
            List<Long> bareWarmMs = new ArrayList<>();
            List<Long> serviceWarmMs = new ArrayList<>();
            for (int i = 0; i < runs * 4; i++) {
                bareWarmMs.add(time(bareWarm));
                serviceWarmMs.add(time(serviceWarm));
            }
            browser.close();
            call(http, "DELETE", service + "/api/agents/browser/" + agent, key, null);

            System.out.printf("after %d warm-up actions and %d warm-up create cycles per side%n", warmActions, warmCycles);
            System.out.printf("%-48s %8s %8s%n", "step (" + runs + " cold / " + runs * 4 + " warm runs)", "p50 ms", "p95 ms");
            report("bare Playwright: launch + navigate + screenshot", bareColdMs);
            report("service: create + navigate + screenshot", serviceColdMs);
            report("bare Playwright: warm navigate", bareWarmMs);
            report("service: warm navigate action", serviceWarmMs);
            System.out.printf("ratio create-to-first-screenshot p50: %.2f (target <= 1.5), p95: %.2f%n",
                    (double) pct(serviceColdMs, 50) / pct(bareColdMs, 50), (double) pct(serviceColdMs, 95) / pct(bareColdMs, 95));
            System.out.printf("ratio warm action p50: %.2f (target <= 1.3), p95: %.2f%n",
                    (double) pct(serviceWarmMs, 50) / pct(bareWarmMs, 50), (double) pct(serviceWarmMs, 95) / pct(bareWarmMs, 95));
        } finally {
            pages.stop(0);
        }
    }

    private static String bareCold(Playwright playwright, BrowserType.LaunchOptions launch, String page) {
        Browser browser = playwright.chromium().launch(launch);
        try {
            Page p = browser.newContext(new Browser.NewContextOptions().setViewportSize(1920, 1080)).newPage();
            p.navigate(page);
            return String.valueOf(p.screenshot().length);
        } finally {
            browser.close();
        }
    }

    private static String serviceCold(HttpClient http, String service, String key, String page, String agent) {
        call(http, "POST", service + "/api/agents/browser", key, "{\"agent_id\": \"" + agent + "\"}");
        String actions = service + "/api/agents/browser/" + agent + "/actions";
        call(http, "POST", actions, key, "{\"type\": \"navigate\", \"url\": \"" + page + "\"}");
        String shot = call(http, "POST", actions, key, "{\"type\": \"screenshot\"}");
        call(http, "DELETE", service + "/api/agents/browser/" + agent, key, null);
        return shot;
    }

    /** One API call with the key; its body, or an exception for any answer but 2xx. Shared by the bench programs. */
    static String call(HttpClient http, String method, String url, String key, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long time(Supplier<String> step) {
        long start = System.nanoTime();
        step.get();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The nearest-rank percentile of {@code values}. Shared by the bench programs. */
    static long pct(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static void report(String label, List<Long> ms) {
        System.out.printf("%-44s %8d %8d%n", label, pct(ms, 50), pct(ms, 95));
    }
}
