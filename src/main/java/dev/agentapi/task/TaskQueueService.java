package dev.agentapi.task;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The task queue's operations, for the REST API and for the workers alike. Each transition is one
 * short transaction that changes the row and writes its audit entry; its telemetry event follows
 * the commit. Callers see only their own tasks (admins every task); another's task is as absent as
 * a missing one.
 */
@Service
public class TaskQueueService {

    /** The lease token of a claim through the API; workers inside the service use their replica's. */
    private static final String EXTERNAL_LEASE = "api:";
    /** How long a client refused by a cap is asked to wait: tasks finish, and places free up, in seconds. */
    private static final long QUOTA_RETRY_AFTER_SECONDS = 10;
    /** Claims that meet another claim on the owner's last running place are tried again at once, this often. */
    private static final int CLAIM_ATTEMPTS = 5;
    /** The ids this service gives queue tasks ({@code task_} and 32 hex digits), loosely: Taskade-style ids never reach here. */
    private static final java.util.regex.Pattern TASK_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    private final TaskQueue queue;
    private final TaskAdmission admission;
    private final TaskHandlers handlers;
    private final TaskTransitions transitions;
    private final TaskViews views;
    private final TaskProperties properties;
    private final CurrentActor currentActor;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;

    TaskQueueService(TaskQueue queue, TaskAdmission admission, TaskHandlers handlers, TaskTransitions transitions,
                     TaskViews views, TaskProperties properties, CurrentActor currentActor,
                     ApplicationEventPublisher events, PlatformTransactionManager transactions) {
        this.queue = queue;
        this.admission = admission;
        this.handlers = handlers;
        this.transitions = transitions;
        this.views = views;
        this.properties = properties;
        this.currentActor = currentActor;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** A created task, or with {@code replayed} the one an earlier request with the same Idempotency-Key created. */
    public record Created(TaskView task, boolean replayed) {
    }

    /** Signals idle workers of this replica that a task was queued (after the commit). */
    record TaskQueued(String taskType) {
    }

    public Created create(TaskRequests.Create request, String idempotencyKey) {
        Actor actor = currentActor.get();
        NewTask task = admission.admit(request, actor.userId(), idempotencyKey);
        Stored stored = transaction.execute(status -> {
            // the owner's creates take turns, so what is counted here is still so at the insert, on any replica
            queue.lockOwner(task.createdBy());
            Optional<TaskRow> earlier = idempotencyKey == null ? Optional.empty()
                    : queue.findByIdempotencyKey(task.createdBy(), idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), task, idempotencyKey);
            }
            withinShares(task, actor);
            Optional<TaskRow> inserted = queue.insert(task, properties.maxRuntime());
            if (inserted.isEmpty()) {
                return replay(queue.findByIdempotencyKey(task.createdBy(), idempotencyKey)
                        .orElseThrow(() -> new IllegalStateException("idempotency key conflict without a row")), task, idempotencyKey);
            }
            transitions.audit("task.created", AuditAction.CREATE, inserted.get(),
                    idempotencyKey == null ? Map.of() : Map.of("idempotency_key", idempotencyKey));
            return new Stored(inserted.get(), false);
        });
        if (!stored.replayed()) {
            events.publishEvent(new TaskQueued(task.taskType()));
            transitions.announce("task.created", stored.row());
        }
        return new Created(views.of(stored.row()), stored.replayed());
    }

    private static Stored replay(TaskRow earlier, NewTask task, String idempotencyKey) {
        if (!earlier.requestHash().equals(task.requestHash())) {
            throw TaskProblems.idempotencyConflict(idempotencyKey);
        }
        return new Stored(earlier, true);
    }

    /**
     * Refuses (429) a task beyond its owner's share of the queue: {@code max-pending-per-owner} pending, and
     * {@code max-urgent-per-owner} urgent ones pending or running (urgent work jumps everyone's queue, so a user
     * may only have a few; an admin is not capped).
     */
    private void withinShares(NewTask task, Actor actor) {
        long pending = queue.pendingOf(task.createdBy());
        if (pending >= properties.maxPendingPerOwner()) {
            throw TaskProblems.quota("You have " + pending + " tasks pending, the most one owner may "
                    + "(max-pending-per-owner=" + properties.maxPendingPerOwner() + ", TASK_MAX_PENDING_PER_OWNER); "
                    + "retry once some have run", QUOTA_RETRY_AFTER_SECONDS);
        }
        if (task.urgent() && !actor.admin()) {
            long urgent = queue.urgentOf(task.createdBy());
            if (urgent >= properties.maxUrgentPerOwner()) {
                throw TaskProblems.quota("You have " + urgent + " urgent tasks pending or running, the most one owner may "
                        + "(max-urgent-per-owner=" + properties.maxUrgentPerOwner() + ", TASK_MAX_URGENT_PER_OWNER); "
                        + "queue this one as high, or retry once some have run", QUOTA_RETRY_AFTER_SECONDS);
            }
        }
    }

    public TaskView get(String id) {
        return views.of(visible(id));
    }

    TaskResponses.Listing list(TaskFilter filter, int page, int size) {
        Actor actor = currentActor.get();
        String owner = actor.admin() ? null : actor.userId();
        List<TaskView> tasks = queue.list(filter, owner, page, size).stream().map(views::of).toList();
        return new TaskResponses.Listing(true, tasks, tasks.size(), page, size, queue.count(filter, owner));
    }

    /** Pending: cancelled now. Running: marked; its worker ends it at its next yield. Finished: 409. */
    TaskView cancel(String id) {
        TaskRow current = visible(id);
        TaskRow cancelled = transaction.execute(status -> {
            TaskRow row = queue.cancel(id).orElseThrow(() -> TaskProblems.finished(id, queue.find(id).orElse(current).status()));
            transitions.audit(row.status() == TaskStatus.CANCELLED ? "task.cancelled" : "task.cancel_requested",
                    AuditAction.UPDATE, row, Map.of());
            return row;
        });
        transitions.announce(cancelled.status() == TaskStatus.CANCELLED ? "task.cancelled" : "task.cancel_requested", cancelled);
        return views.of(cancelled);
    }

    /** The next task of an external type for a worker outside the service, with its lease; empty when none is due. */
    Optional<TaskResponses.Claimed> claimExternal(TaskRequests.Claim request) {
        String type = request.taskType() == null ? TaskHandlers.GENERIC : request.taskType();
        if (!handlers.external(type)) {
            throw TaskProblems.invalid(Map.of("task_type", handlers.acceptedTypes().contains(type)
                    ? "is run inside the service; external workers claim generic tasks"
                    : "must be generic"));
        }
        String platform = request.platform();
        Actor actor = currentActor.get();
        String token = EXTERNAL_LEASE + UUID.randomUUID();
        return claim(List.of(type), platform, actor.admin() ? null : actor.userId(), token)
                .map(row -> new TaskResponses.Claimed(true, views.of(row), new TaskResponses.Lease(token, row.leaseExpiresAt())));
    }

    /** An external worker's sign of life: extends its lease, and tells it whether a cancel was asked for. */
    TaskResponses.Claimed heartbeat(String id, String token) {
        visible(id);
        if (queue.extend(List.of(token), properties.lease()).get(id) == null) {
            throw TaskProblems.leaseNotHeld(id);
        }
        TaskRow row = visible(id);
        return new TaskResponses.Claimed(true, views.of(row), new TaskResponses.Lease(token, row.leaseExpiresAt()));
    }

    TaskView completeExternal(String id, TaskRequests.Complete request) {
        visible(id);
        String result = admission.document("result", request.result(), properties.maxPayload().toBytes());
        return views.of(complete(id, request.leaseToken(), result).orElseThrow(() -> TaskProblems.leaseNotHeld(id)));
    }

    TaskView failExternal(String id, TaskRequests.Fail request) {
        visible(id);
        String error = admission.document("error", request.error(), properties.maxMetadata().toBytes());
        boolean retry = request.retry() == null || request.retry();
        return views.of(fail(id, request.leaseToken(), error == null ? "{}" : error, retry)
                .orElseThrow(() -> TaskProblems.leaseNotHeld(id)));
    }

    TaskQueue.Attachment attachment(String id, int step) {
        visible(id);
        return queue.attachment(id, step).orElseThrow(() -> TaskProblems.noAttachment(id, step));
    }

    /** A step attachment of a task that worked on an agent (a {@code browser.actions} task). */
    public record AgentAttachment(String agentId, String taskId, int step, String mediaType, long sizeBytes, java.time.Instant createdAt) {
    }

    /** An attachment's bytes, null when larger than the reader's limit. */
    public record AttachmentContent(String mediaType, long sizeBytes, byte[] data) {
    }

    /**
     * The attachments of the caller's own tasks (an admin's own too) that worked on an agent not deleted since,
     * newest first and then by their {@code agent://} URI, at most {@code limit}; with {@code afterAt} and
     * {@code afterUri}, only those after that place in this order (a page's last one).
     */
    public List<AgentAttachment> agentAttachments(int limit, @Nullable Instant afterAt, @Nullable String afterUri) {
        return queue.agentAttachments(currentActor.get().userId(), limit, afterAt, afterUri);
    }

    /**
     * Step {@code step}'s attachment of task {@code taskId}, when the caller may see the task and it worked on
     * {@code agentId}; empty otherwise (another owner's task is as absent as a missing one). Bytes up to {@code maxBytes}.
     */
    public Optional<AttachmentContent> agentAttachment(String agentId, String taskId, int step, long maxBytes) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            return Optional.empty();
        }
        Actor actor = currentActor.get();
        return queue.find(taskId).filter(row -> actor.mayAccess(row.createdBy()) && agentId.equals(row.agentId()))
                .flatMap(row -> queue.attachment(taskId, step, maxBytes));
    }

    /** The task's trace (a Playwright trace zip): 404 when the caller may not see the task, or it has none (or it expired). */
    byte[] trace(String id) {
        visible(id);
        return queue.trace(id).orElseThrow(() -> TaskProblems.noTrace(id));
    }

    // ---- transitions shared by the API and the workers ----

    /**
     * The next task for a worker (see {@link TaskQueue#claim}). A claim that met another on the owner's last
     * running place lost nothing but its transaction: it is made again, with the place now seen as taken.
     */
    Optional<TaskRow> claim(Collection<String> types, String platform, String owner, String leaseOwner) {
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<TaskRow> claimed = transaction.execute(status -> {
                    Optional<TaskRow> row = queue.claim(types, platform, owner, leaseOwner, properties.lease(),
                            properties.maxRunningPerOwner());
                    row.ifPresent(r -> transitions.audit("task.claimed", AuditAction.EXECUTE, r,
                            Map.of("attempt", r.attempts(), "worker", worker(leaseOwner))));
                    return row;
                });
                claimed.ifPresent(row -> transitions.announce("task.claimed", row));
                return claimed;
            } catch (DuplicateKeyException samePlace) {
                if (attempt == CLAIM_ATTEMPTS) {
                    return Optional.empty(); // the owner's places are contended: the next poll tries again
                }
            }
        }
    }

    Optional<TaskRow> complete(String id, String leaseOwner, String result) {
        return finish(() -> queue.complete(id, leaseOwner, result), leaseOwner);
    }

    Optional<TaskRow> fail(String id, String leaseOwner, String error, boolean retry) {
        return finish(() -> queue.fail(id, leaseOwner, error, retry, properties.backoff(), properties.maxBackoff()), leaseOwner);
    }

    Optional<TaskRow> cancelRun(String id, String leaseOwner) {
        return finish(() -> queue.cancelRun(id, leaseOwner), leaseOwner);
    }

    /** Extends the leases this replica's workers hold: task id → cancel requested, for those still held. */
    Map<String, Boolean> extend(Collection<String> leaseOwners) {
        return queue.extend(leaseOwners, properties.lease());
    }

    /** Takes back tasks whose lease ran out; how many. */
    int reapExpired(int limit) {
        List<TaskRow> reaped = transaction.execute(status -> {
            List<TaskRow> rows = queue.reap(limit, properties.backoff(), properties.maxBackoff());
            rows.forEach(row -> transitions.audit("task.lease_expired", AuditAction.UPDATE, row,
                    Map.of("next", row.status().value())));
            return rows;
        });
        reaped.forEach(row -> transitions.announce("task.lease_expired", row));
        return reaped.size();
    }

    void attach(String taskId, int step, String mediaType, byte[] data) {
        queue.attach(taskId, step, mediaType, data);
    }

    void attachTrace(String taskId, byte[] zip, java.time.Instant expiresAt) {
        queue.saveTrace(taskId, zip, expiresAt);
    }

    /** Deletes the task traces past their retention; how many. */
    int deleteExpiredTraces() {
        return queue.deleteExpiredTraces();
    }

    private Optional<TaskRow> finish(java.util.function.Supplier<Optional<TaskRow>> change, String leaseOwner) {
        Optional<TaskRow> finished = transaction.execute(status -> {
            Optional<TaskRow> row = change.get();
            row.ifPresent(r -> transitions.audit(TaskTransitions.outcome(r), AuditAction.EXECUTE, r,
                    Map.of("attempt", r.attempts(), "worker", worker(leaseOwner))));
            return row;
        });
        finished.ifPresent(row -> transitions.announce(TaskTransitions.outcome(row), row));
        return finished;
    }

    /** The task if the caller may see it; 404 otherwise (also for ids no task can have, before any query). */
    private TaskRow visible(String id) {
        if (id == null || !TASK_ID.matcher(id).matches()) {
            throw TaskProblems.notFound(String.valueOf(id).replaceAll("\\p{Cntrl}", "?"));
        }
        Actor actor = currentActor.get();
        return queue.find(id).filter(row -> actor.mayAccess(row.createdBy()))
                .orElseThrow(() -> TaskProblems.notFound(id));
    }

    /** Which worker, without the secret part of its token. */
    private static String worker(String leaseOwner) {
        int cut = leaseOwner.lastIndexOf(':');
        return cut < 0 ? leaseOwner : leaseOwner.substring(0, cut);
    }

    private record Stored(TaskRow row, boolean replayed) {
    }
}
