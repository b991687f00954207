package dev.agentapi.bench;

import dev.agentapi.browser.BrowserProcesses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The fault harness's replica phase: two more replicas join the running one on the same PostgreSQL and
 * Redis (three in all), browser agents get their browsers on the second, and clients drive actions
 * through the first and third (forwarded to the holder). Then the holder is SIGKILLed. Reported: for
 * each agent, the time from the kill to its first acknowledged action after it (failover), acknowledged
 * actions with no audit entry (lost), browsers per agent afterwards (one each, none of the dead replica's
 * left), and none after the agents are deleted. Each agent logs in to a local site (an HttpOnly cookie) on the holder
 * before the kill, and the harness waits until that state is saved ({@code AGENT_STATE_SAVE_INTERVAL}, 2 s for the
 * harness's replicas): after the failover the agent must still be logged in on the replica that took it over (the
 * failover keeps state); an agent that is not is a violation.
 */
final class ReplicaFailover {

    static final Duration LEASE = Duration.ofSeconds(5);
    private static final int AGENTS = 3;
    private static final String MARKER = "--agent-api-agent=";

    record Outcome(Map<String, String> report, List<String> violations) {
    }

    private final FaultHarness harness;
    private final int portA;
    private final String key;
    private final Duration phase;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstAfterKill = new ConcurrentHashMap<>();
    private volatile Instant killedAt;

    ReplicaFailover(FaultHarness harness, int portA, String key, Duration phase) {
        this.harness = harness;
        this.portA = portA;
        this.key = key;
        this.phase = phase;
    }

    Outcome run() throws Exception {
        Map<String, String> report = new LinkedHashMap<>();
        int portB = FaultHarness.freePort();
        int portC = FaultHarness.freePort();
        Process b = harness.startReplica(portB, "replica-b.log");
        harness.startReplica(portC, "replica-c.log");
        for (int port : List.of(portB, portC)) {
            // two JVMs starting together beside a loaded service: give them longer than a restart
            if (FaultHarness.timeUntil(() -> FaultHarness.ready(port), Duration.ofMinutes(5)).isEmpty()) {
                violations.add("replica on port " + port + " did not start");
                return new Outcome(report, violations);
            }
        }
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            String id = "failover-" + i + "-" + Long.toHexString(System.nanoTime());
            var created = harness.call(portA, "POST", "/api/agents/browser", key, "{\"agent_id\": \"" + id + "\"}");
            var launched = created.status() != 201 ? created
                    : harness.call(portB, "POST", "/api/agents/browser/" + id + "/actions", key, "{\"type\": \"content\"}");
            if (created.status() != 201 || launched.status() != 200) {
                violations.add("replica phase: agent " + id + " could not be created and launched on B (" + launched.status()
                        + " " + launched.body().substring(0, Math.min(200, launched.body().length())) + ")");
                continue;
            }
            agents.add(id);
        }
        LoginSite site = LoginSite.start();
        int loggedIn = 0;
        for (String id : agents) {
            if (login(site, id, portB)) {
                loggedIn++;
            }
        }
        report.put("replicas: agents logged in (cookie) and their state saved before the kill", loggedIn + " / " + agents.size());
        Set<Long> browsersOfB = b.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());

        AtomicBoolean driving = new AtomicBoolean(true);
        List<Thread> drivers = new ArrayList<>();
        for (String id : agents) {
            Thread driver = new Thread(() -> drive(id, List.of(portA, portC), driving), "replica-driver-" + id);
            driver.start();
            drivers.add(driver);
        }
        Thread.sleep(phase.toMillis());
        b.destroyForcibly().waitFor();
        killedAt = Instant.now();
        Optional<Duration> allBack = FaultHarness.timeUntil(() -> firstAfterKill.keySet().containsAll(agents));
        Thread.sleep(Math.min(phase.toMillis(), 5_000)); // steady again for a while
        driving.set(false);
        for (Thread driver : drivers) {
            driver.join(30_000);
        }

        long worst = agents.stream().map(firstAfterKill::get).filter(java.util.Objects::nonNull)
                .mapToLong(t -> Duration.between(killedAt, t).toMillis()).max().orElse(-1);
        report.put("replicas: agents held by the killed replica", String.valueOf(agents.size()));
        report.put("replicas: failover (kill → first acknowledged action, worst agent)",
                allBack.isPresent() ? worst + " ms (lease TTL " + LEASE.toSeconds() + " s, relaunch included)" : "NOT back within 90 s");
        if (allBack.isEmpty()) {
            violations.add("replica phase: an agent of the killed replica never answered again");
        }
        report.put("replicas: of which lease taken back (kill → last owner_lost)", leasesBack(agents));
        int stillLoggedIn = 0;
        for (String id : agents) {
            // on the replica that did not hold it: the agent's browser was relaunched there (or on C) from its saved state
            FaultHarness.Response profile = harness.call(portA, "POST", "/api/agents/browser/" + id + "/actions", key,
                    "{\"type\": \"navigate\", \"url\": \"" + site.url("/profile") + "\"}");
            if (profile.status() == 200 && profile.body().contains(LoginSite.loggedInTitle(id))) {
                stillLoggedIn++;
            } else {
                violations.add("replica phase: agent " + id + " is not logged in after the failover (" + profile.status() + " "
                        + profile.body().substring(0, Math.min(200, profile.body().length())) + ")");
            }
        }
        report.put("replicas: agents still logged in after the failover (state kept)", stillLoggedIn + " / " + agents.size());
        site.stop();
        long ackedTotal = acked.values().stream().mapToLong(AtomicInteger::get).sum();
        long lost = lostActions(agents);
        report.put("replicas: acknowledged actions / lost", ackedTotal + " / " + lost);
        if (lost > 0) {
            violations.add("replica phase: " + lost + " acknowledged actions have no audit entry");
        }
        Set<Long> orphans = browsersOfB.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toSet());
        if (!orphans.isEmpty()) {
            FaultHarness.timeUntil(() -> browsersOfB.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
            orphans = browsersOfB.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .collect(Collectors.toSet());
        }
        report.put("replicas: processes of the killed replica left", String.valueOf(orphans.size()));
        if (!orphans.isEmpty()) {
            violations.add("replica phase: processes of the killed replica still alive: " + orphans);
        }
        for (String id : agents) {
            int browsers = browsers(id);
            if (browsers != 1) {
                violations.add("replica phase: agent " + id + " has " + browsers + " browsers after failover");
            }
            harness.call(portC, "DELETE", "/api/agents/browser/" + id, key, null);
        }
        Optional<Duration> gone = FaultHarness.timeUntil(() -> agents.stream().allMatch(id -> browsers(id) == 0));
        report.put("replicas: browsers left after deleting the agents", gone.isPresent() ? "0" : "SOME");
        if (gone.isEmpty()) {
            violations.add("replica phase: browsers left after the agents were deleted");
        }
        return new Outcome(report, violations);
    }

    /**
     * Logs the agent in on {@code port} (its holder) and waits until its saved state holds the session cookie; a
     * violation (false) when either fails.
     */
    private boolean login(LoginSite site, String id, int port) throws InterruptedException {
        String secret = "secret-" + Long.toHexString(System.nanoTime());
        FaultHarness.Response login = harness.call(port, "POST", "/api/agents/browser/" + id + "/actions", key,
                "{\"type\": \"navigate\", \"url\": \"" + site.url("/login?user=" + id + "&secret=" + secret + "&then=/profile") + "\"}");
        if (login.status() != 200 || !login.body().contains(LoginSite.loggedInTitle(id))) {
            violations.add("replica phase: agent " + id + " could not log in (" + login.status() + " "
                    + login.body().substring(0, Math.min(200, login.body().length())) + ")");
            return false;
        }
        Optional<Duration> saved = FaultHarness.timeUntil(() -> {
            FaultHarness.Response state = harness.call(portA, "GET", "/api/agents/browser/" + id + "/state", key, null);
            return state.status() == 200 && state.body().contains(secret);
        }, Duration.ofSeconds(60));
        if (saved.isEmpty()) {
            violations.add("replica phase: agent " + id + "'s login was not saved within 60 s");
            return false;
        }
        return true;
    }

    /**
     * A site on 127.0.0.1 with a login: {@code /login?user=U&secret=S&then=P} sets the HttpOnly cookie {@code session=S}
     * and sends the browser to P; {@code /profile} is titled {@code Logged in as U} for that cookie, else
     * {@code Anonymous}.
     */
    static final class LoginSite {

        private final com.sun.net.httpserver.HttpServer server;
        private final Map<String, String> sessions = new ConcurrentHashMap<>();

        private LoginSite(com.sun.net.httpserver.HttpServer server) {
            this.server = server;
        }

        static LoginSite start() throws java.io.IOException {
            LoginSite site = new LoginSite(com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0));
            site.server.createContext("/login", exchange -> {
                Map<String, String> query = new java.util.HashMap<>();
                for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
                site.sessions.put(query.get("secret"), query.get("user"));
                exchange.getResponseHeaders().add("Set-Cookie", "session=" + query.get("secret") + "; Path=/; HttpOnly; Max-Age=3600");
                exchange.getResponseHeaders().add("Location", query.getOrDefault("then", "/profile"));
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            site.server.createContext("/profile", exchange -> {
                String user = null;
                String cookies = exchange.getRequestHeaders().getFirst("Cookie");
                if (cookies != null) {
                    for (String cookie : cookies.split(";\\s*")) {
                        if (cookie.startsWith("session=")) {
                            user = site.sessions.get(cookie.substring("session=".length()));
                        }
                    }
                }
                byte[] page = ("<html><head><title>" + (user == null ? "Anonymous" : loggedInTitle(user))
                        + "</title></head><body>profile</body></html>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (var body = exchange.getResponseBody()) {
                    body.write(page);
                }
            });
            site.server.start();
            return site;
        }

        static String loggedInTitle(String user) {
            return "Logged in as " + user;
        }

        String url(String pathAndQuery) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
        }

        void stop() {
            server.stop(0);
        }
    }

    /** Actions on one agent through the replicas in turn; the first acknowledged one after the kill is noted. */
    private void drive(String id, List<Integer> ports, AtomicBoolean driving) {
        int n = 0;
        while (driving.get()) {
            int port = ports.get(n++ % ports.size());
            FaultHarness.Response r = harness.call(port, "POST", "/api/agents/browser/" + id + "/actions", key, "{\"type\": \"content\"}");
            if (r.status() == 200) {
                acked.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                if (killedAt != null) {
                    firstAfterKill.putIfAbsent(id, Instant.now());
                }
            } else {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** From the kill to the last of the agents' {@code agent.owner_lost} audit entries: the lease part of the failover. */
    private String leasesBack(List<String> agents) throws Exception {
        try (Connection db = DriverManager.getConnection(harness.jdbcUrl());
             PreparedStatement audit = db.prepareStatement("SELECT count(*), max(timestamp) FROM audit_logs "
                     + "WHERE event_type = 'agent.owner_lost' AND resource_id = ANY (?)")) {
            audit.setArray(1, db.createArrayOf("varchar", agents.toArray()));
            try (ResultSet rs = audit.executeQuery()) {
                rs.next();
                java.sql.Timestamp last = rs.getTimestamp(2);
                return last == null ? "none recorded"
                        : Duration.between(killedAt, last.toInstant()).toMillis() + " ms (" + rs.getLong(1) + " agents)";
            }
        }
    }

    /** Acknowledged actions (plus the launching one each) not found as successful audit entries. */
    private long lostActions(List<String> agents) throws Exception {
        long lost = 0;
        try (Connection db = DriverManager.getConnection(harness.jdbcUrl());
             PreparedStatement audit = db.prepareStatement("SELECT count(*) FROM audit_logs WHERE resource_id = ? "
                     + "AND event_type = 'agent.action' AND success")) {
            for (String id : agents) {
                audit.setString(1, id);
                try (ResultSet rs = audit.executeQuery()) {
                    rs.next();
                    long expected = acked.getOrDefault(id, new AtomicInteger()).get() + 1;
                    lost += Math.max(0, expected - rs.getLong(1));
                }
            }
        }
        return lost;
    }

    /** The agent's Chromium browsers alive now (main processes: their parent carries no marker). */
    private static int browsers(String id) {
        String marker = MARKER + id;
        List<ProcessHandle> marked = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false)).toList();
        Set<Long> pids = marked.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        return (int) marked.stream().filter(p -> p.parent().map(parent -> !pids.contains(parent.pid())).orElse(true))
                .filter(BrowserProcesses::isBrowserMain).count();
    }
}
