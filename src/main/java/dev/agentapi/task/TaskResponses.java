package dev.agentapi.task;

import java.time.Instant;
import java.util.List;

/** Response envelopes of the seed-compatible task API. */
final class TaskResponses {

    private TaskResponses() {
    }

    record One(boolean success, TaskView task) {
        One(TaskView task) {
            this(true, task);
        }
    }

    record Listing(boolean success, List<TaskView> tasks, int count, int page, int size, long total) {
    }

    /** A claim by an external worker: the task and the lease it must present to complete or fail it. */
    record Claimed(boolean success, TaskView task, Lease lease) {
    }

    record Lease(String token, Instant expiresAt) {
    }
}
