package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.BrowserFailure;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recordings: a Playwright trace (screenshots, DOM snapshots, network) of an agent's browser context, started and
 * stopped on demand, run on the session's driver thread beside actions ({@link BrowserSession#startTrace}). Stopping
 * stores the zip (for Playwright's trace viewer) as the agent's last trace, unless it is larger than {@code max-size};
 * it is kept for {@code retention}, and deleted with the agent. Only the owner (or an admin) may record or download,
 * only where the browser runs, and only a running browser: recording starts nothing. Starting and stopping are audited
 * ({@code agent.trace.started}, {@code agent.trace.stopped} with the size and duration, never the content).
 */
@Service
public class AgentTraces {

    private static final Logger log = LoggerFactory.getLogger(AgentTraces.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final AgentService agents;
    private final BrowserRuntime runtime;
    private final AgentLeases leases;
    private final AuditTrail audit;
    private final AgentTraceStore store;
    private final TraceProperties properties;
    private final TransactionTemplate transaction;
    private final AgentBrowsers browsers;
    /** When each agent's recording started (its browser's, on this replica). */
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    /** The agents whose recording a task makes (agent → task id): the API does not stop it, the task does. */
    private final Map<String, String> taskRecordings = new ConcurrentHashMap<>();

    AgentTraces(AgentService agents, BrowserRuntime runtime, AgentLeases leases, AuditTrail audit, AgentTraceStore store,
                TraceProperties properties, PlatformTransactionManager transactions, AgentBrowsers browsers) {
        this.browsers = browsers;
        this.agents = agents;
        this.runtime = runtime;
        this.leases = leases;
        this.audit = audit;
        this.store = store;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** A recording as the API answers it: while it records, nothing is stopped, stored or expiring yet. */
    public record TraceStatus(String agentId, boolean recording, Instant startedAt, @Nullable Instant stoppedAt,
                              @Nullable Long sizeBytes, @Nullable Instant expiresAt) {
    }

    /** Starts recording the caller's agent: 404 when the caller may not see it, 409 when no browser runs here or it records already. */
    public TraceStatus start(String agentId) {
        agents.get(agentId); // 404: missing, deleted, or another owner's
        AuditRecord attempt = record("agent.trace.started", agentId, Map.of());
        Instant begun = AgentLifecycle.now();
        try {
            BrowserSession session = session(agentId);
            if (!browser(agentId, () -> session.startTrace(START_TIMEOUT))) {
                throw recordedByTask(agentId).orElseGet(() -> TraceProblems.alreadyRecording(agentId));
            }
            started.put(agentId, begun);
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        }
        transaction.executeWithoutResult(status -> audit.recordSuccess(attempt));
        return new TraceStatus(agentId, true, begun, null, null, null);
    }

    /**
     * Stops the agent's recording and stores its zip as the agent's last trace: 404 as {@link #start}, 409 when no
     * browser runs here or it records nothing, 422 when the zip is larger than {@code max-size} (then not stored).
     */
    public TraceStatus stop(String agentId) {
        agents.get(agentId);
        AuditRecord attempt = record("agent.trace.stopped", agentId, Map.of());
        Path file = null;
        try {
            recordedByTask(agentId).ifPresent(refused -> {
                throw refused;
            });
            BrowserSession session = session(agentId);
            file = Files.createTempFile("agent-trace-", ".zip");
            Path target = file;
            if (!browser(agentId, () -> session.stopTrace(target, properties.stopTimeout()))) {
                throw TraceProblems.notRecording(agentId);
            }
            Instant stoppedAt = AgentLifecycle.now();
            Instant begun = Optional.ofNullable(started.remove(agentId)).orElse(stoppedAt);
            long size = Files.size(file);
            long cap = properties.maxSize().toBytes();
            if (size > cap) {
                throw TraceProblems.tooLarge(agentId, size, cap);
            }
            byte[] zip = Files.readAllBytes(file);
            Instant expiresAt = stoppedAt.plus(properties.retention());
            transaction.executeWithoutResult(status -> {
                if (!store.save(agentId, zip, begun, stoppedAt, expiresAt)) {
                    throw AgentProblems.notFound(agentId); // deleted meanwhile
                }
                audit.recordSuccess(record(attempt.eventType(), agentId, Map.of("size_bytes", size,
                        "seconds", Duration.between(begun, stoppedAt).toSeconds())));
            });
            return new TraceStatus(agentId, false, begun, stoppedAt, size, expiresAt);
        } catch (IOException e) {
            audit.recordFailure(attempt, "the trace file could not be read");
            throw new UncheckedIOException(e);
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("Could not delete the trace file {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /** A task's recording once stopped: its zip (null when not kept, with the reason) and how long it is kept. */
    record TaskTrace(@Nullable byte[] zip, @Nullable Long sizeBytes, @Nullable Instant expiresAt, @Nullable String notKept) {

        static TaskTrace lost(String reason) {
            return new TaskTrace(null, null, null, reason);
        }
    }

    /**
     * Starts recording the agent's browser for a task (run as its owner), before its first step: launches the browser
     * here when it runs nowhere, as the step would. Refused (409) when the agent records already (through the API, MCP
     * or another task: {@code trace-already-recording}), or its browser runs on another replica; audited as
     * {@code agent.trace.started} with the task's id.
     */
    void startForTask(String agentId, String taskId) {
        agents.get(agentId);
        AuditRecord attempt = record("agent.trace.started", agentId, Map.of("task_id", taskId));
        try {
            leases.heldElsewhere(agentId).ifPresent(holder -> {
                throw LiveViewProblems.elsewhere(agentId, holder);
            });
            try {
                browsers.running(agentId);
            } catch (OwnedElsewhere raced) {
                throw LiveViewProblems.elsewhere(agentId, raced.holder());
            }
            BrowserSession session = session(agentId);
            if (!browser(agentId, () -> session.startTrace(START_TIMEOUT))) {
                throw recordedByTask(agentId).orElseGet(() -> TraceProblems.alreadyRecording(agentId));
            }
            taskRecordings.put(agentId, taskId);
            started.put(agentId, AgentLifecycle.now());
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        }
        transaction.executeWithoutResult(status -> audit.recordSuccess(attempt));
    }

    /**
     * Stops the task's recording of the agent, after its last step (or the step that failed, or the cancel): the zip
     * to keep with the task, or why there is none (its browser closed meanwhile, or it is larger than {@code max-size}).
     * Never throws: the task's own outcome is what its caller reports. Audited as {@code agent.trace.stopped}.
     */
    TaskTrace stopForTask(String agentId, String taskId) {
        AuditRecord attempt = record("agent.trace.stopped", agentId, Map.of("task_id", taskId));
        taskRecordings.remove(agentId, taskId);
        Instant stoppedAt = AgentLifecycle.now();
        Instant begun = Optional.ofNullable(started.remove(agentId)).orElse(stoppedAt);
        Path file = null;
        try {
            Optional<BrowserSession> session = runtime.session(agentId).filter(s -> !s.closed());
            if (session.isEmpty()) {
                return notKept(attempt, "the agent's browser closed during the task, and its recording with it");
            }
            file = Files.createTempFile("task-trace-", ".zip");
            Path target = file;
            if (!session.get().stopTrace(target, properties.stopTimeout())) {
                return notKept(attempt, "the agent's browser records no trace any more (it was relaunched during the task)");
            }
            long size = Files.size(file);
            long cap = properties.maxSize().toBytes();
            if (size > cap) {
                String reason = "the trace is " + size + " bytes, more than the " + cap
                        + " bytes a trace may have (agent-api.traces.max-size); it was not kept";
                notKept(attempt, reason);
                return new TaskTrace(null, size, null, reason);
            }
            byte[] zip = Files.readAllBytes(file);
            transaction.executeWithoutResult(status -> audit.recordSuccess(record(attempt.eventType(), agentId, Map.of(
                    "task_id", taskId, "size_bytes", size, "seconds", Duration.between(begun, stoppedAt).toSeconds()))));
            return new TaskTrace(zip, size, stoppedAt.plus(properties.retention()), null);
        } catch (IOException | RuntimeException e) {
            return notKept(attempt, "the trace could not be written: " + (e instanceof BrowserFailure f ? f.getMessage() : e.toString()));
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("Could not delete the trace file {}: {}", file, e.getMessage());
                }
            }
        }
    }

    private TaskTrace notKept(AuditRecord attempt, String reason) {
        try {
            audit.recordFailure(attempt, reason);
        } catch (RuntimeException e) {
            log.warn("The failed stop of a task's trace was not audited: {}", e.getMessage());
        }
        return TaskTrace.lost(reason);
    }

    /** A task records the agent: the API neither starts another recording nor stops the task's (409). */
    private Optional<org.springframework.web.ErrorResponseException> recordedByTask(String agentId) {
        return Optional.ofNullable(taskRecordings.get(agentId)).map(taskId -> TraceProblems.recordedByTask(agentId, taskId));
    }

    /** The agent's last stored trace: 404 when the caller may not see the agent, or it has none (or it expired). */
    AgentTraceStore.StoredTrace download(String agentId) {
        agents.get(agentId);
        return store.find(agentId).orElseThrow(() -> TraceProblems.none(agentId));
    }

    /** Deletes the traces past their retention (every replica runs it; a delete of nothing costs an index probe). */
    @Scheduled(fixedDelayString = "${agent-api.traces.cleanup-interval:1h}", initialDelayString = "${agent-api.traces.cleanup-interval:1h}")
    void deleteExpired() {
        try {
            int deleted = store.deleteExpired();
            if (deleted > 0) {
                log.info("Deleted {} expired agent traces", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Expired agent traces not deleted this time: {}", e.getMessage());
        }
    }

    private BrowserSession session(String agentId) {
        Optional<BrowserSession> here = runtime.session(agentId).filter(s -> !s.closed());
        if (here.isPresent()) {
            return here.get();
        }
        throw leases.heldElsewhere(agentId).map(holder -> LiveViewProblems.elsewhere(agentId, holder))
                .orElseGet(() -> LiveViewProblems.notRunning(agentId));
    }

    /** A call on the browser, its failures as problems: a closed browser is not running. */
    private static boolean browser(String agentId, java.util.function.BooleanSupplier call) {
        try {
            return call.getAsBoolean();
        } catch (BrowserFailure failure) {
            if (failure.kind() == BrowserFailure.Kind.CLOSED || failure.kind() == BrowserFailure.Kind.NOT_RUNNING) {
                throw LiveViewProblems.notRunning(agentId);
            }
            throw AgentProblems.browser(failure, Duration.ofSeconds(5));
        }
    }

    private static AuditRecord record(String event, String agentId, Map<String, ?> details) {
        return new AuditRecord(event, AuditAction.EXECUTE, AgentService.RESOURCE, agentId, details, null, null);
    }
}
