package dev.agentapi.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task queue under the fault harness: clients queue generic tasks among their other requests,
 * and external workers claim, work on (50 ms) and complete them through the API while Redis,
 * PostgreSQL and the service fail in turn. Each worker logs when it held a task; afterwards every
 * acknowledged task must have ended completed, failed or cancelled (with its audit entry), and no
 * two workers may have held one task at the same time.
 */
final class TaskLoad {

    interface Caller {
        FaultHarness.Response call(String method, String path, String key, String body);
    }

    private static final String TASKS = "/api/agents/mcp/tasks";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private final Caller caller;
    private final String key;
    private final String platform = "harness-" + Long.toHexString(new Random().nextLong());
    private final Map<String, Boolean> acked = new ConcurrentHashMap<>();
    private final Map<String, List<long[]>> held = new ConcurrentHashMap<>();
    private final AtomicBoolean working = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();

    TaskLoad(Caller caller, String key) {
        this.caller = caller;
        this.key = key;
    }

    /** Queues one task; remembers it if the service acknowledged it (201). */
    void create(int n) {
        String priority = List.of("low", "medium", "high", "urgent").get(n % 4);
        FaultHarness.Response r = caller.call("POST", TASKS, key, "{\"title\": \"harness " + n + "\", \"platform\": \""
                + platform + "\", \"priority\": \"" + priority + "\"}");
        if (r.status() == 201) {
            acked.put(JSON.readTree(r.body()).get("task").get("id").asString(), true);
        }
    }

    void startWorkers(int count) {
        for (int i = 0; i < count; i++) {
            Thread worker = new Thread(this::work, "task-worker-" + i);
            worker.start();
            workers.add(worker);
        }
    }

    private void work() {
        String claim = "{\"task_type\": \"generic\", \"platform\": \"" + platform + "\"}";
        while (working.get()) {
            FaultHarness.Response claimed = caller.call("POST", TASKS + "/claim", key, claim);
            if (claimed.status() != 200) {
                pause(100);
                continue;
            }
            JsonNode body = JSON.readTree(claimed.body());
            String id = body.get("task").get("id").asString();
            String token = body.get("lease").get("token").asString();
            Instant expires = Instant.parse(body.get("lease").get("expires_at").asString());
            long start = System.nanoTime();
            pause(50);
            held.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(new long[] {start, System.nanoTime()});
            // report the result while the lease may still hold; after that the task is another worker's
            while (Instant.now().isBefore(expires)) {
                int status = caller.call("POST", TASKS + "/" + id + "/complete", key, "{\"lease_token\": \"" + token + "\"}").status();
                if (status == 200 || status == 404 || status == 409) {
                    break;
                }
                pause(200);
            }
        }
    }

    /** Keeps the workers on until every acknowledged task has finished, at most {@code within}; how long it took. */
    String drain(Connection db, Duration within) throws Exception {
        Instant start = Instant.now();
        Instant deadline = start.plus(within);
        while (Instant.now().isBefore(deadline) && unfinished(db) > 0) {
            pause(500);
        }
        working.set(false);
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        long left = unfinished(db);
        return left == 0 ? "after " + Duration.between(start, Instant.now()).toMillis() / 1000 + " s" : left + " still unfinished";
    }

    /** acknowledged, found finished with their audit entry; adds a violation for each lost task and each overlap. */
    long[] verify(Connection db, List<String> violations) throws Exception {
        long[] result = {acked.size(), 0};
        try (PreparedStatement task = db.prepareStatement("SELECT status FROM tasks WHERE id = ? AND source = 'queue'");
             PreparedStatement audit = db.prepareStatement("SELECT count(*) FROM audit_logs WHERE resource_type = 'task' "
                     + "AND resource_id = ? AND event_type = 'task.created' AND success")) {
            for (String id : acked.keySet()) {
                task.setString(1, id);
                audit.setString(1, id);
                try (ResultSet row = task.executeQuery(); ResultSet entry = audit.executeQuery()) {
                    entry.next();
                    String status = row.next() ? row.getString(1) : "missing";
                    if (TERMINAL.contains(status) && entry.getLong(1) == 1) {
                        result[1]++;
                    } else {
                        violations.add("acknowledged task not finished or not audited: " + id + " (" + status + ")");
                    }
                }
            }
        }
        held.forEach((id, spans) -> {
            List<long[]> sorted = new ArrayList<>(spans);
            sorted.sort(Comparator.comparingLong(s -> s[0]));
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i)[0] < sorted.get(i - 1)[1]) {
                    violations.add("task held by two workers at once: " + id);
                }
            }
        });
        return result;
    }

    private long unfinished(Connection db) throws Exception {
        long unfinished = 0;
        try (PreparedStatement task = db.prepareStatement("SELECT status FROM tasks WHERE id = ?")) {
            for (String id : acked.keySet()) {
                task.setString(1, id);
                try (ResultSet row = task.executeQuery()) {
                    if (!row.next() || !TERMINAL.contains(row.getString(1))) {
                        unfinished++;
                    }
                }
            }
        }
        return unfinished;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
