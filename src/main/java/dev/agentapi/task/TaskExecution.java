package dev.agentapi.task;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed task through its handler and records how the attempt ended: completed with its
 * result, cancelled at a yield, failed (retried while attempts and runtime budget remain and the failure
 * may pass), failed for good when its runtime budget ran out, or nothing at all when the lease was lost
 * (the task belongs to another worker now). Whatever a handler throws, an {@link Error} included, ends
 * the attempt and never the worker.
 */
@Component
class TaskExecution {

    private static final Logger log = LoggerFactory.getLogger(TaskExecution.class);
    private static final long PAUSE_SLICE_MS = 100;

    private final TaskQueueService tasks;
    private final TaskHandlers handlers;
    private final TaskViews views;
    private final JsonMapper json;

    TaskExecution(TaskQueueService tasks, TaskHandlers handlers, TaskViews views, JsonMapper json) {
        this.tasks = tasks;
        this.handlers = handlers;
        this.views = views;
        this.json = json;
    }

    void execute(ActiveRun active) {
        TaskRow task = active.task();
        String leaseOwner = active.leaseOwner();
        TaskHandler handler = handlers.forType(task.taskType()).orElse(null);
        if (handler == null) { // a type this replica claimed but no longer runs: another replica may
            tasks.fail(task.id(), leaseOwner, error("no_handler", "No handler for task type " + task.taskType(), Map.of()), true);
            return;
        }
        Run run = new Run(active);
        JsonNode result;
        try {
            run.checkpoint();
            result = handler.run(run);
            run.checkpoint();
        } catch (Cancelled cancelled) {
            tasks.cancelRun(task.id(), leaseOwner);
            return;
        } catch (BudgetSpent spent) {
            tasks.fail(task.id(), leaseOwner, error("runtime_budget_exceeded", "The task ran for its whole runtime budget of "
                    + task.maxRuntimeMs() / 1000 + " s over its attempts (agent-api.tasks.max-runtime)", Map.of()), false);
            return;
        } catch (LeaseLost lost) {
            log.warn("Task {} lost its lease to another worker; this attempt's outcome is dropped", task.id());
            return;
        } catch (TaskFailure failure) {
            tasks.fail(task.id(), leaseOwner, error("handler_failed", failure.getMessage(), failure.details()), failure.retryable());
            return;
        } catch (ErrorResponseException refused) {
            int status = refused.getStatusCode().value();
            String detail = refused.getBody().getDetail();
            tasks.fail(task.id(), leaseOwner, error("refused", detail, Map.of("status", status)), status >= 500 || status == 409);
            return;
        } catch (Throwable crash) { // an Error too (a StackOverflowError, an assertion): the attempt fails, the worker lives
            log.warn("Task {} ({}) failed: {}", task.id(), task.taskType(), crash.toString());
            tasks.fail(task.id(), leaseOwner, error("handler_crashed", crash.getClass().getSimpleName(), Map.of()), true);
            return;
        }
        if (tasks.complete(task.id(), leaseOwner, json.writeValueAsString(result == null ? json.createObjectNode() : result)).isEmpty()) {
            log.warn("Task {} finished after its lease was taken back; the result of this attempt is dropped", task.id());
        }
    }

    private String error(String reason, String message, Map<String, ?> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", reason);
        error.put("message", message);
        error.putAll(details);
        return json.writeValueAsString(error);
    }

    private final class Run implements TaskRun {

        private final ActiveRun active;
        private final JsonNode payload;

        Run(ActiveRun active) {
            this.active = active;
            this.payload = views.tree(active.task().payload());
        }

        @Override
        public String taskId() {
            return active.task().id();
        }

        @Override
        public String owner() {
            return active.task().createdBy();
        }

        @Override
        public JsonNode payload() {
            return payload;
        }

        @Override
        public int attempt() {
            return active.task().attempts();
        }

        @Override
        public void checkpoint() {
            if (active.isBudgetSpent()) {
                throw new BudgetSpent();
            }
            if (active.isLeaseLost()) {
                throw new LeaseLost();
            }
            if (active.isCancelRequested()) {
                throw new Cancelled();
            }
        }

        @Override
        public void pause(java.time.Duration duration) {
            long until = System.nanoTime() + duration.toNanos();
            checkpoint();
            for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
                try {
                    Thread.sleep(Math.max(1, Math.min(PAUSE_SLICE_MS, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TaskFailure("The worker was stopped while the task waited", true, Map.of());
                }
                checkpoint();
            }
        }

        @Override
        public void attach(int step, String mediaType, byte[] data) {
            checkpoint();
            tasks.attach(taskId(), step, mediaType, data);
        }

        @Override
        public boolean trace() {
            return active.task().trace();
        }

        @Override
        public boolean attachTrace(byte[] zip, java.time.Instant expiresAt) {
            if (active.isLeaseLost()) { // the task is another worker's now: its attempt's trace is the one to keep
                return false;
            }
            tasks.attachTrace(taskId(), zip, expiresAt);
            return true;
        }
    }

    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
        }
    }

    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
