package dev.agentapi.task;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** Response envelopes of the seed-compatible task API. */
final class TaskResponses {

    private TaskResponses() {
    }

    @Schema(name = "QueuedTaskResponse")
    record One(boolean success, TaskView task) {
        One(TaskView task) {
            this(true, task);
        }
    }

    @Schema(name = "QueuedTaskList")
    record Listing(boolean success, List<TaskView> tasks, int count, int page, int size, long total) {
    }

    /** A claim by an external worker: the task and the lease it must present to complete or fail it. */
    @Schema(name = "ClaimedTask")
    record Claimed(boolean success, TaskView task, Lease lease) {
    }

    @Schema(name = "TaskLease")
    record Lease(String token, Instant expiresAt) {
    }
}
