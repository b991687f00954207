package dev.agentapi.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load and faults with accounting. Starts its own PostgreSQL (initdb in a temporary folder, run as
 * the postgres user) and redis-server on ports of their own, runs the built service against them,
 * drives mixed load from several clients and two principals, and meanwhile stops and restarts
 * Redis, then PostgreSQL, then kills the service (SIGKILL) and restarts it. Afterwards every
 * acknowledged create, update and delete is checked in PostgreSQL with its audit entries (exactly
 * one create, exactly one delete if deleted, at least as many updates as were acknowledged), and a
 * table is printed. After the Redis restart, and again at the end, the harness looks in its Redis
 * itself for the rate-limit buckets and cached agents the service writes there. Exit code 1 if
 * anything acknowledged was lost, a component did not come back into use, or any request answered
 * 5xx other than 503 with Retry-After. Run by bench/fault-harness.sh; not a test.
 *
 * Arguments: path of the service jar, phase length in seconds.
 */
public final class FaultHarness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ALICE = "harness_alice_" + Long.toHexString(new Random().nextLong());
    private static final String ADMIN = "harness_admin_" + Long.toHexString(new Random().nextLong());

    private final Path jar;
    private final Duration phase;
    private final Path work;
    private final int pgPort = freePort();
    private final int redisPort = freePort();
    private final int servicePort = freePort();
    /** The key the replicas sign forwards with, made for the run. */
    private final String replicaSecret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();
    /** The key saved browser states are sealed with (AGENT_STATE_KEY): one for every replica, as a deployment has. */
    private final String stateKey = randomKey();
    private Process redis;
    private Process service;
    /** Every service process started, replicas included (all killed on clean-up). */
    private final List<Process> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicReference<String> currentPhase = new AtomicReference<>("warm-up");
    private final Map<String, Map<String, AtomicInteger>> outcomes = new ConcurrentHashMap<>();
    private final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> ackedCreates = new ConcurrentHashMap<>();
    private final Map<String, Long> ackedVersions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> ackedUpdates = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> ackedDeletes = new ConcurrentLinkedQueue<>();
    private final Map<String, String> recovery = new LinkedHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final TaskLoad tasks = new TaskLoad(this::call, ALICE);

    private FaultHarness(Path jar, Duration phase) throws IOException {
        this.jar = jar;
        this.phase = phase;
        this.work = Files.createTempDirectory("agent-api-harness-");
    }

    public static void main(String[] args) throws Exception {
        FaultHarness harness = new FaultHarness(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])));
        Runtime.getRuntime().addShutdownHook(new Thread(harness::cleanUp));
        boolean ok;
        try {
            ok = harness.run();
        } finally {
            harness.cleanUp();
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        startPostgres();
        startRedis();
        startService();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String key = i % 2 == 0 ? ALICE : ADMIN;
            Thread client = new Thread(() -> load(key, new Random()), "load-" + i);
            client.start();
            clients.add(client);
        }
        tasks.startWorkers(2);
        sleep(phase);

        enter("redis-down");
        redis.destroyForcibly().waitFor();
        sleep(phase);
        enter("redis-back");
        startRedis();
        recover("Redis restarted", this::redisInUse);
        // a new redis-server without persistence: every key in it was written after the restart
        recover("new bucket and cache keys in Redis",
                () -> appeared(Set.of(), BUCKET_KEYS) && appeared(Set.of(), CACHE_KEYS));

        enter("postgres-down");
        pgCtl("stop", "-m", "immediate");
        sleep(phase);
        enter("postgres-back");
        pgCtl("start", "-w", "-l", work.resolve("pg.log").toString(), "-o", pgOptions());
        recover("PostgreSQL restarted", this::ready);

        enter("service-killed");
        service.destroyForcibly().waitFor();
        sleep(Duration.ofSeconds(2));
        enter("service-back");
        recovery.put("service restarted after SIGKILL", startService() + " (JVM start included)");
        Set<String> beforeLastPhase = redisKeys("*");
        sleep(phase);

        loading.set(false);
        for (Thread client : clients) {
            client.join(30_000);
        }

        enter("replica-killed");
        ReplicaFailover.Outcome failover = new ReplicaFailover(this, servicePort, ALICE, phase).run();
        failover.report().forEach(recovery::put);
        violations.addAll(failover.violations());
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres")) {
            recovery.put("every acknowledged task finished", tasks.drain(db, Duration.ofSeconds(120)));
        }
        check("rate limiter and cache on Redis at the end", redisInUse());
        check("agents cached in Redis since service restart", appeared(beforeLastPhase, CACHE_KEYS));
        check("unauthenticated caller's bucket in Redis", anonymousBucketAppears());
        return report(verify());
    }

    // ---- load ---------------------------------------------------------------------------------

    private void load(String key, Random random) {
        List<String> mine = new ArrayList<>();
        int n = 0;
        while (loading.get()) {
            n++;
            try {
                int dice = random.nextInt(100);
                if (dice < 25 || mine.isEmpty()) {
                    String id = "h-" + Thread.currentThread().getName() + "-" + n + "-" + Long.toHexString(random.nextLong());
                    Response r = call("POST", "/api/agents/browser", key, "{\"agent_id\": \"" + id + "\", \"config\": {\"n\": " + n + "}}");
                    if (r.status == 201) {
                        ackedCreates.put(id, key);
                        ackedVersions.put(id, 0L);
                        mine.add(id);
                    }
                } else if (dice < 55) {
                    call("GET", "/api/agents/browser/" + mine.get(random.nextInt(mine.size())), key, null);
                } else if (dice < 65) {
                    call("GET", "/api/agents/browser?size=20", key, null);
                } else if (dice < 72) {
                    tasks.create(n);
                } else if (dice < 90) {
                    String id = mine.get(random.nextInt(mine.size()));
                    Response r = call("PATCH", "/api/agents/browser/" + id, key, "{\"config\": {\"n\": " + n + "}}");
                    if (r.status == 200) {
                        long version = Long.parseLong(r.header("ETag").replace("\"", ""));
                        ackedVersions.merge(id, version, Math::max);
                        ackedUpdates.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                } else {
                    String id = mine.remove(random.nextInt(mine.size()));
                    Response r = call("DELETE", "/api/agents/browser/" + id, key, null);
                    if (r.status == 200) {
                        ackedDeletes.add(id);
                    }
                }
            } catch (RuntimeException unexpected) {
                violations.add("client error: " + unexpected.getMessage());
            }
        }
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of("")).get(0);
        }
    }

    Response call(String method, String path, String key, String body) {
        return call(servicePort, method, path, key, body);
    }

    Response call(int port, String method, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).header("X-API-Key", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        String outcome;
        Response response = new Response(-1, Map.of(), "");
        try {
            HttpResponse<String> raw = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(raw.headers().map());
            Map<String, List<String>> lower = new LinkedHashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
            response = new Response(raw.statusCode(), lower, raw.body());
            outcome = String.valueOf(raw.statusCode());
            if (raw.statusCode() >= 500 && !(raw.statusCode() == 503 && raw.headers().firstValue("Retry-After").isPresent())) {
                violations.add(currentPhase.get() + ": " + method + " " + path + " -> " + raw.statusCode() + " " + raw.body());
            }
        } catch (IOException e) {
            outcome = "no connection";
            try {
                Thread.sleep(50); // the service is down: retry politely
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        outcomes.computeIfAbsent(currentPhase.get(), p -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
        return response;
    }

    // ---- verification -------------------------------------------------------------------------

    private Map<String, long[]> verify() throws Exception {
        Map<String, long[]> result = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres")) {
            long[] creates = {ackedCreates.size(), 0};
            long[] updates = {0, 0};
            long[] deletes = {ackedDeletes.size(), 0};
            try (PreparedStatement agent = db.prepareStatement("SELECT version, deleted_at IS NOT NULL FROM browser_agents WHERE id = ?");
                 PreparedStatement audit = db.prepareStatement(
                         "SELECT count(*) FROM audit_logs WHERE resource_id = ? AND event_type = ? AND success")) {
                for (String id : ackedCreates.keySet()) {
                    agent.setString(1, id);
                    try (ResultSet row = agent.executeQuery()) {
                        boolean present = row.next();
                        long version = present ? row.getLong(1) : -1;
                        if (present && count(audit, id, "agent.create") == 1) {
                            creates[1]++;
                        } else {
                            violations.add("acknowledged create lost: " + id);
                        }
                        long acked = ackedVersions.getOrDefault(id, 0L);
                        int updated = ackedUpdates.getOrDefault(id, new AtomicInteger()).get();
                        if (updated > 0) {
                            // a PATCH that succeeded but whose answer was lost is audited without being acknowledged: >=
                            long audited = count(audit, id, "agent.update");
                            updates[0] += updated;
                            updates[1] += Math.min(audited, updated);
                            if (version < acked || audited < updated) {
                                violations.add("acknowledged update lost: " + id + " acked v" + acked + ", stored v" + version
                                        + "; " + updated + " acknowledged, " + audited + " audited");
                            }
                        }
                    }
                }
                for (String id : ackedDeletes) {
                    agent.setString(1, id);
                    try (ResultSet row = agent.executeQuery()) {
                        if (row.next() && row.getBoolean(2) && count(audit, id, "agent.delete") == 1) {
                            deletes[1]++;
                        } else {
                            violations.add("acknowledged delete lost: " + id);
                        }
                    }
                }
            }
            result.put("creates", creates);
            result.put("updates", updates);
            result.put("deletes", deletes);
            result.put("tasks", tasks.verify(db, violations));
        }
        return result;
    }

    private static long count(PreparedStatement audit, String id, String event) throws java.sql.SQLException {
        audit.setString(1, id);
        audit.setString(2, event);
        try (ResultSet rs = audit.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean report(Map<String, long[]> verified) {
        System.out.println();
        System.out.println("Requests by outcome per phase (phase length " + phase.toSeconds() + " s, 4 clients, 2 principals)");
        List<String> columns = outcomes.values().stream().flatMap(m -> m.keySet().stream()).distinct()
                .sorted(Comparator.naturalOrder()).toList();
        System.out.printf("%-16s", "phase");
        columns.forEach(c -> System.out.printf("%14s", c));
        System.out.println();
        for (String p : List.of("warm-up", "redis-down", "redis-back", "postgres-down", "postgres-back", "service-killed", "service-back",
                "replica-killed")) {
            Map<String, AtomicInteger> row = outcomes.getOrDefault(p, Map.of());
            System.out.printf("%-16s", p);
            columns.forEach(c -> System.out.printf("%14d", row.getOrDefault(c, new AtomicInteger()).get()));
            System.out.println();
        }
        System.out.println();
        System.out.println("Acknowledged writes found in PostgreSQL with their audit entries (updates: one entry each;"
                + " tasks: finished, never held by two workers at once)");
        verified.forEach((kind, v) -> System.out.printf("  %-8s %6d acknowledged, %6d found%n", kind, v[0], v[1]));
        System.out.println();
        System.out.println("Recovery after each repair");
        recovery.forEach((k, v) -> System.out.printf("  %-44s %s%n", k, v));
        System.out.println();
        long serverErrors = outcomes.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey().startsWith("5") && !e.getKey().equals("503")).mapToLong(e -> e.getValue().get()).sum();
        System.out.println("5xx other than 503: " + serverErrors);
        System.out.println("Violations: " + violations.size());
        violations.stream().limit(20).forEach(v -> System.out.println("  " + v));
        return violations.isEmpty() && serverErrors == 0;
    }

    // ---- processes ----------------------------------------------------------------------------

    private void startPostgres() throws Exception {
        Path data = work.resolve("pg");
        exec(List.of("chown", "postgres", work.toString()));
        exec(List.of("runuser", "-u", "postgres", "--", bin("initdb"), "-D", data.toString(), "-A", "trust", "-U", "postgres"));
        pgCtl("start", "-w", "-l", work.resolve("pg.log").toString(), "-o", pgOptions());
    }

    private String pgOptions() {
        return "-p " + pgPort + " -k " + work + " -c listen_addresses=127.0.0.1";
    }

    private void pgCtl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", bin("pg_ctl"), "-D", work.resolve("pg").toString()));
        command.addAll(List.of(args));
        exec(command);
    }

    private static String bin(String tool) throws IOException {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(tool)).filter(Files::isExecutable)
                    .max(Comparator.naturalOrder()).orElseThrow(() -> new IOException("no PostgreSQL binaries under /usr/lib/postgresql")).toString();
        }
    }

    private void startRedis() throws Exception {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", work.toString())
                .redirectOutput(work.resolve("redis.log").toFile()).redirectErrorStream(true).start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline) && !listening(redisPort)) {
            Thread.sleep(50);
        }
    }

    private String startService() throws Exception {
        service = startReplica(servicePort, "service.log");
        Optional<Duration> took = timeUntil(this::ready, Duration.ofMinutes(3)); // a JVM start on a loaded 2-core machine
        if (took.isEmpty()) {
            throw new IllegalStateException("service did not start within 3 minutes; see " + work.resolve("service.log"));
        }
        return describe(took);
    }

    private Path playwrightDriver;

    /** Playwright's driver for this platform, unpacked into the harness's folder from the bundle on its classpath. */
    private synchronized Path playwrightDriver() throws IOException {
        if (playwrightDriver == null) {
            Path driver = work.resolve("playwright-driver");
            try {
                com.microsoft.playwright.impl.driver.jar.DriverJar.installDriverTo(driver);
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
            playwrightDriver = driver;
        }
        return playwrightDriver;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** One replica of the service on {@code port}, on the harness's PostgreSQL and Redis (more than one share them). */
    Process startReplica(int port, String log) throws IOException {
        // Actuator on a free port of each replica's own: Actuator's default (9090) may be taken by another service on a
        // shared machine (nothing here reads it)
        String management = "--management.server.port=" + freePort();
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-Xmx768m", "-jar", jar.toString(), "--server.port=" + port, management,
                "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute", "--agent-api.browser.launch-on-create=false",
                "--agent-api.browser.warm-pool=0", "--agent-api.redis.retry-after=1s",
                "--agent-api.replica.reap-interval=500ms",
                // the replica phase's agents log in to a site on this host, and their state is saved every 2 s (when it
                // changed): the failover must find them still logged in
                "--agent-api.browser.navigation.block-private-networks=false", "--agent-api.state.save-interval=2s")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(log).toFile())).redirectErrorStream(true);
        builder.environment().put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + pgPort + "/postgres");
        builder.environment().put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        builder.environment().put("AGENT_API_KEYS", "alice:user:" + ALICE + ",admin:admin:" + ADMIN);
        builder.environment().put("SHUTDOWN_DRAIN_DELAY", "0s");
        // the harness runs as root (CI), where Chromium's sandbox cannot start: said, as the test build says it
        builder.environment().put("BROWSER_ALLOW_NO_SANDBOX", "true");
        // the production jar carries no Playwright driver (the image unpacks its own): one unpacked here, once
        builder.environment().put("BROWSER_DRIVER_DIR", playwrightDriver().toString());
        builder.environment().put("AGENT_LEASE_TTL", ReplicaFailover.LEASE.toSeconds() + "s");
        // as a deployment: one key for every replica (none starts without it outside local mode), and the replica routes
        // on a port of each replica's own (a free one here, several replicas share this host), advertised at POD_IP
        builder.environment().put("AGENT_API_REPLICA_SECRET", replicaSecret);
        builder.environment().put("AGENT_STATE_KEY", stateKey);
        builder.environment().put("REPLICA_PORT", "0");
        builder.environment().put("POD_IP", "127.0.0.1");
        Process started = builder.start();
        replicas.add(started);
        return started;
    }

    private boolean ready() {
        return ready(servicePort);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres";
    }

    static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Redis healthy, and both the cache and the rate limiter back on it (details an admin reads). */
    private boolean redisInUse() {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + "/api/agents/health/ready"))
                            .header("X-API-Key", ADMIN).build(),
                    HttpResponse.BodyHandlers.ofString()).body().replace(" ", "");
            return body.contains("\"redis\":{\"status\":\"healthy\",\"cache\":\"redis\",\"rate_limit\":\"redis\"}");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static final String BUCKET_KEYS = "rate-limit:*";
    private static final String CACHE_KEYS = "agent:*";

    /** Keys in the harness's own Redis, asked with redis-cli (a few thousand keys at most: KEYS is fine); none while it is down. */
    private Set<String> redisKeys(String pattern) {
        try {
            Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(redisPort), "--raw", "KEYS", pattern)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(cli.getInputStream().readAllBytes());
            return cli.waitFor() == 0 ? new HashSet<>(output.lines().filter(line -> !line.isEmpty()).toList()) : Set.of();
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    /** Some key matching {@code pattern} is in Redis now that was not in {@code before}. */
    private boolean appeared(Set<String> before, String pattern) {
        return redisKeys(pattern).stream().anyMatch(key -> !before.contains(key));
    }

    /** A request without credentials is charged to its address's bucket (then answered 401): that bucket must land in Redis. */
    private boolean anonymousBucketAppears() throws InterruptedException {
        Set<String> before = redisKeys(BUCKET_KEYS);
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + "/api/agents/browser")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return false;
        }
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            if (redisKeys(BUCKET_KEYS).stream().anyMatch(key -> !before.contains(key) && key.contains(":ip:"))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Records how long {@code condition} took to hold; a violation if it never did. */
    private void recover(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Optional<Duration> took = timeUntil(condition);
        recovery.put(what, describe(took));
        if (took.isEmpty()) {
            violations.add("not back: " + what);
        }
    }

    private void check(String what, boolean holds) {
        recovery.put(what, holds ? "yes" : "NO");
        if (!holds) {
            violations.add("not so: " + what);
        }
    }

    /** How long until {@code condition} held (asked every 100 ms for at most 90 s, or {@code within}); empty if it never did. */
    static Optional<Duration> timeUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return timeUntil(condition, Duration.ofSeconds(90));
    }

    static Optional<Duration> timeUntil(java.util.function.BooleanSupplier condition, Duration within) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return Optional.of(Duration.between(start, Instant.now()));
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private static String describe(Optional<Duration> took) {
        return took.map(d -> d.toMillis() + " ms to full service").orElse("NOT back within 90 s");
    }

    void enter(String name) {
        currentPhase.set(name);
        System.out.println(Instant.now() + " phase: " + name);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static void exec(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private synchronized void cleanUp() {
        replicas.forEach(Process::destroyForcibly);
        if (redis != null) {
            redis.destroyForcibly();
        }
        try {
            if (Files.exists(work.resolve("pg/postmaster.pid"))) {
                pgCtl("stop", "-m", "immediate");
            }
        } catch (Exception ignored) {
            // already stopped
        }
        if (System.getenv("HARNESS_KEEP") != null) {
            System.out.println("HARNESS_KEEP: logs and data left in " + work);
            return;
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // already gone
        }
    }
}
