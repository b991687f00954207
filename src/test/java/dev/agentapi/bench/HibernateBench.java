package dev.agentapi.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hibernation benchmark, run by bench/hibernate-bench.sh (not a test): N agents each log in to a local cookie-setting
 * site ({@link ReplicaFailover.LoginSite}) through the service and hibernate; then WAKE random ones are woken at once
 * and driven (navigate to the profile page, whose title says whom the cookie logs in). Reported: wake + first action
 * p50/p95 (the answer that woke the agent; and from the first try, 503 retries included), then ten wakes one at a
 * time (the warm pool refilled between them), 503s with Retry-After and
 * other 5xx (must be none), agents that lost their login, the service's RSS and its Chromium processes with every
 * agent hibernated; and, in the same run, bare Playwright doing launch + context with the same storageState + goto +
 * read of the same page (the limit), with the ratio of the wake p50 to it.
 * <pre>
 * HibernateBench &lt;service url&gt; &lt;key&gt; &lt;service pid&gt; &lt;agents&gt; &lt;wake&gt; &lt;chromium for bare&gt; &lt;bare runs&gt;
 * </pre>
 */
public final class HibernateBench {

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Logins in flight at once while the agents are set up (each holds a browser until it hibernates). */
    private static final int SETUP_CLIENTS = 8;
    /** Agents woken one at a time after the concurrent wake. */
    private static final int SINGLE_WAKES = 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String service;
    private final String key;
    private final AtomicInteger refused503 = new AtomicInteger();
    private final AtomicInteger refused503WithoutRetryAfter = new AtomicInteger();
    private final AtomicInteger other5xx = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> otherFailures = new ConcurrentLinkedQueue<>();

    private HibernateBench(String service, String key) {
        this.service = service;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String key = args[1];
        long pid = Long.parseLong(args[2]);
        int agents = Integer.parseInt(args[3]);
        int wake = Integer.parseInt(args[4]);
        String chromium = args[5];
        int bareRuns = Integer.parseInt(args[6]);
        ReplicaFailover.LoginSite site = ReplicaFailover.LoginSite.start();
        try {
            new HibernateBench(service, key).run(site, pid, agents, wake, chromium, bareRuns);
        } finally {
            site.stop();
        }
        System.exit(0);
    }

    private void run(ReplicaFailover.LoginSite site, long pid, int count, int wake, String chromium, int bareRuns) throws Exception {
        String run = "hib-" + Long.toHexString(System.nanoTime());
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            agents.add(run + "-" + i);
        }
        long setupStarted = System.nanoTime();
        ExecutorService setup = Executors.newFixedThreadPool(SETUP_CLIENTS);
        for (String id : agents) {
            setup.submit(() -> {
                try {
                    createAndLogIn(site, id);
                } catch (RuntimeException e) {
                    otherFailures.add("setup " + id + ": " + e.getMessage());
                }
            });
        }
        setup.shutdown();
        setup.awaitTermination(2, TimeUnit.HOURS);
        System.out.printf("setup: %d agents created and logged in in %d s (503s meanwhile: %d)%n", count,
                (System.nanoTime() - setupStarted) / 1_000_000_000, refused503.getAndSet(0));
        long hibernatedIn = awaitHibernated(run, count);
        System.out.printf("all %d hibernated %d s after the setup ended%n", count, hibernatedIn);
        Thread.sleep(3_000); // the last browsers' processes exit
        System.out.printf("after hibernation: service RSS %d MB, Chromium processes of the service %s (the warm pool's browser)%n",
                rssMb(pid), chromiumProcesses(pid));
        int before5xx = other5xx.get();
        refused503.set(0);

        List<String> chosen = new ArrayList<>(agents);
        Collections.shuffle(chosen, new Random(42));
        chosen = chosen.subList(0, Math.min(wake, chosen.size()));
        List<Long> wakeMs = Collections.synchronizedList(new ArrayList<>());
        List<Long> endToEndMs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger loggedIn = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(chosen.size());
        long wakeStarted = System.nanoTime();
        for (String id : chosen) {
            clients.submit(() -> {
                try {
                    go.await();
                    long first = System.nanoTime();
                    Timed profile = untilPlaced("POST", "/api/agents/browser/" + id + "/actions",
                            "{\"type\": \"navigate\", \"url\": \"" + site.url("/profile") + "\"}");
                    endToEndMs.add((System.nanoTime() - first) / 1_000_000);
                    if (profile.status() == 200) {
                        wakeMs.add(profile.ms());
                        if (JSON.readTree(profile.body()).path("title").asString("").equals(ReplicaFailover.LoginSite.loggedInTitle(id))) {
                            loggedIn.incrementAndGet();
                        } else {
                            lost.incrementAndGet();
                            otherFailures.add("wake " + id + ": not logged in: " + profile.body());
                        }
                    } else {
                        otherFailures.add("wake " + id + ": " + profile.status() + " " + profile.body());
                    }
                } catch (Exception e) {
                    otherFailures.add("wake " + id + ": " + e);
                }
                return null;
            });
        }
        go.countDown();
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.MINUTES);
        System.out.printf("wake: %d agents woken and driven at once in %d ms (BROWSER_MAX places; a woken agent frees its"
                + " place when it hibernates again)%n", chosen.size(), (System.nanoTime() - wakeStarted) / 1_000_000);
        report("wake + first action (the answer that woke it)", wakeMs);
        report("from the first try (503 retries included)", endToEndMs);
        System.out.printf("503 with Retry-After: %d, 503 without: %d, other 5xx: %d%n", refused503.get(),
                refused503WithoutRetryAfter.get(), other5xx.get() - before5xx);
        System.out.printf("woken agents still logged in: %d of %d (lost: %d)%n", loggedIn.get(), chosen.size(), lost.get());
        awaitHibernated(run, count);

        // one wake at a time (the pool refilled between them): what one client waking one agent sees
        List<String> others = new ArrayList<>(agents);
        others.removeAll(chosen);
        List<Long> singleMs = new ArrayList<>();
        for (String id : others.subList(0, Math.min(SINGLE_WAKES, others.size()))) {
            Thread.sleep(2_000);
            Timed profile = untilPlaced("POST", "/api/agents/browser/" + id + "/actions",
                    "{\"type\": \"navigate\", \"url\": \"" + site.url("/profile") + "\"}");
            if (profile.status() == 200 && profile.body().contains(ReplicaFailover.LoginSite.loggedInTitle(id))) {
                singleMs.add(profile.ms());
            } else {
                otherFailures.add("single wake " + id + ": " + profile.status() + " " + profile.body());
            }
        }
        report("one wake at a time: wake + first action", singleMs);
        awaitHibernated(run, count);
        List<Long> bare = bare(site, chromium, bareRuns);
        report("bare Playwright: launch + context(storageState) + goto + read", bare);
        if (!wakeMs.isEmpty() && !bare.isEmpty()) {
            System.out.printf("wake p50 / bare p50: %d wakes at once %.2f, one at a time %s%n", chosen.size(),
                    (double) p50(wakeMs) / p50(bare), singleMs.isEmpty() ? "-" : String.format("%.2f", (double) p50(singleMs) / p50(bare)));
        }
        otherFailures.stream().limit(20).forEach(f -> System.out.println("failure: " + f));
        System.out.printf("failures: %d%n", otherFailures.size());
        deleteAll(agents);
        if (other5xx.get() > 0 || !otherFailures.isEmpty() || refused503WithoutRetryAfter.get() > 0) {
            System.out.println("RESULT: FAIL");
        } else {
            System.out.println("RESULT: OK");
        }
    }

    private void createAndLogIn(ReplicaFailover.LoginSite site, String id) {
        Timed created = untilPlaced("POST", "/api/agents/browser", "{\"agent_id\": \"" + id + "\", \"launch\": false}");
        if (created.status() != 201) {
            throw new IllegalStateException("create: " + created.status() + " " + created.body());
        }
        Timed login = untilPlaced("POST", "/api/agents/browser/" + id + "/actions", "{\"type\": \"navigate\", \"url\": \""
                + site.url("/login?user=" + id + "&secret=s-" + Long.toHexString(System.nanoTime()) + "&then=/profile") + "\"}");
        if (login.status() != 200 || !login.body().contains(ReplicaFailover.LoginSite.loggedInTitle(id))) {
            throw new IllegalStateException("login: " + login.status() + " " + login.body());
        }
    }

    /** Seconds until every agent of the run is hibernated (at most 30 min). */
    private long awaitHibernated(String run, int count) throws InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() - started < TimeUnit.MINUTES.toNanos(30)) {
            Timed listed = call("GET", "/api/agents/browser?status=hibernated&size=1&total=exact", null);
            Timed running = call("GET", "/api/agents/browser?status=running&size=1&total=exact", null);
            if (listed.status() == 200 && running.status() == 200
                    && JSON.readTree(listed.body()).path("total").asLong() >= count
                    && JSON.readTree(running.body()).path("total").asLong() == 0) {
                return (System.nanoTime() - started) / 1_000_000_000;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the agents did not all hibernate within 30 min");
    }

    /** Calls until the answer is not a 503 (capacity: waits Retry-After, or 200 ms); counts the 503s. */
    private Timed untilPlaced(String method, String path, String body) {
        while (true) {
            Timed answer = call(method, path, body);
            if (answer.status() != 503) {
                return answer;
            }
            String retryAfter = answer.retryAfter();
            if (retryAfter == null) {
                refused503WithoutRetryAfter.incrementAndGet();
            } else {
                refused503.incrementAndGet();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    private record Timed(int status, String body, String retryAfter, long ms) {
    }

    private Timed call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (response.statusCode() >= 500 && response.statusCode() != 503) {
                other5xx.incrementAndGet();
                otherFailures.add(method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
            return new Timed(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null), ms);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    private void deleteAll(List<String> agents) throws InterruptedException {
        ExecutorService deletes = Executors.newFixedThreadPool(8);
        agents.forEach(id -> deletes.submit(() -> call("DELETE", "/api/agents/browser/" + id, null)));
        deletes.shutdown();
        deletes.awaitTermination(10, TimeUnit.MINUTES);
    }

    /**
     * Bare Playwright, the limit: a browser logs in once for the storage state; then per run a browser is launched, a
     * context made with that state, the profile opened and its title read (checked), the browser closed.
     */
    private static List<Long> bare(ReplicaFailover.LoginSite site, String chromium, int runs) {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setExecutablePath(Path.of(chromium))
                    .setHeadless(true).setArgs(ARGS);
            String state;
            try (Browser browser = playwright.chromium().launch(launch)) {
                BrowserContext context = browser.newContext();
                context.newPage().navigate(site.url("/login?user=bare&secret=bare-" + System.nanoTime() + "&then=/profile"));
                state = context.storageState();
            }
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) { // three unmeasured: the driver's first launches
                long started = System.nanoTime();
                Browser browser = playwright.chromium().launch(launch);
                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setStorageState(state)
                        .setViewportSize(1920, 1080));
                Page page = context.newPage();
                page.navigate(site.url("/profile"));
                String title = page.title();
                long took = (System.nanoTime() - started) / 1_000_000;
                browser.close();
                if (!title.equals(ReplicaFailover.LoginSite.loggedInTitle("bare"))) {
                    throw new IllegalStateException("bare Playwright was not logged in: " + title);
                }
                if (i >= 3) {
                    ms.add(took);
                }
            }
            return ms;
        }
    }

    private static long rssMb(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * The service's Chromium processes: how many, and how many browsers among them (a Chromium process whose parent is
     * not one: a browser's main process; its helpers descend from it).
     */
    private static String chromiumProcesses(long pid) {
        List<ProcessHandle> chromium = ProcessHandle.of(pid).map(service -> service.descendants()
                .filter(HibernateBench::isChromium).toList()).orElse(List.of());
        long browsers = chromium.stream().filter(p -> p.parent().map(parent -> !isChromium(parent)).orElse(true)).count();
        return chromium.size() + ", browsers " + browsers;
    }

    private static boolean isChromium(ProcessHandle process) {
        return process.info().command().map(c -> c.contains("chrom")).orElse(false);
    }

    private static long p50(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static void report(String label, List<Long> ms) {
        if (ms.isEmpty()) {
            System.out.printf("%-62s no samples%n", label);
            return;
        }
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        System.out.printf("%-62s p50 %6d ms  p95 %6d ms  (%d samples)%n", label, p50(ms), p95, ms.size());
    }
}
