package dev.agentapi.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Create → {@code running} latency through the API (POST answers once the browser runs, or failed), and
 * bare Playwright's launch → first page for comparison, in one run. Run by bench/create-bench.sh; not a test.
 *
 * <pre>
 * service &lt;url&gt; &lt;key&gt; &lt;label&gt; &lt;runs&gt; &lt;pause-ms&gt;   the first five creates in a row (kept), then &lt;runs&gt;
 *                                                  creates each &lt;pause-ms&gt; after the last (each deleted)
 * bare &lt;chromium&gt; &lt;runs&gt;                            Playwright: launch + context + page, then close
 * </pre>
 */
public final class CreateBench {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");

    public static void main(String[] args) throws Exception {
        if (args[0].equals("bare")) {
            bare(args[1], Integer.parseInt(args[2]));
        } else {
            service(args[1], args[2], args[3], Integer.parseInt(args[4]), Long.parseLong(args[5]));
        }
    }

    private static void service(String service, String key, String label, int runs, long pauseMs) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String tag = "cb-" + ProcessHandle.current().pid() + "-" + label.replaceAll("[^A-Za-z0-9]", "");
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(create(http, service, key, tag + "-first-" + i));
        }
        for (int i = 0; i < 5; i++) {
            call(http, "DELETE", service + "/api/agents/browser/" + tag + "-first-" + i, key, null);
        }
        List<Long> steady = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Thread.sleep(pauseMs);
            String id = tag + "-" + i;
            steady.add(create(http, service, key, id));
            call(http, "DELETE", service + "/api/agents/browser/" + id, key, null);
        }
        report(label + ": first five creates after start", first);
        report(label + ": create -> running, " + pauseMs + " ms apart", steady);
    }

    private static long create(HttpClient http, String service, String key, String id) {
        long started = System.nanoTime();
        String body = call(http, "POST", service + "/api/agents/browser", key, "{\"agent_id\": \"" + id + "\"}");
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (!body.contains("\"status\":\"running\"")) {
            throw new IllegalStateException("create " + id + " did not run: " + body);
        }
        return ms;
    }

    private static void bare(String chromium, int runs) {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setExecutablePath(Path.of(chromium))
                    .setHeadless(true).setArgs(ARGS);
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) { // three unmeasured: the driver's first launches
                long started = System.nanoTime();
                Browser browser = playwright.chromium().launch(launch);
                browser.newContext(new Browser.NewContextOptions().setViewportSize(1920, 1080)).newPage();
                long took = (System.nanoTime() - started) / 1_000_000;
                browser.close();
                if (i >= 3) {
                    ms.add(took);
                }
            }
            report("bare Playwright: launch + context + page", ms);
        }
    }

    private static String call(HttpClient http, String method, String url, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url + ": " + e.getMessage(), e);
        }
    }

    private static void report(String label, List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long p50 = sorted.get((sorted.size() - 1) / 2);
        long p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        System.out.printf("%-58s p50 %6d ms  p95 %6d ms  (%d runs: %s)%n", label, p50, p95, ms.size(), ms);
    }
}
