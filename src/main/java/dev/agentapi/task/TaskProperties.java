package dev.agentapi.task;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the task queue runs in this replica. {@code workers} bounds the tasks this replica runs at
 * once (TASK_WORKERS); a claim holds a task for {@code lease}, extended every {@code heartbeat}
 * while it runs; idle workers look for work every {@code pollInterval}. A task whose lease ran out
 * waits {@code backoff} × 2^(attempts-1) (at most {@code maxBackoff}) before its next attempt.
 * Fair shares between owners: an owner may have at most {@code maxPendingPerOwner} tasks pending
 * (TASK_MAX_PENDING_PER_OWNER), {@code maxUrgentPerOwner} urgent tasks pending or running
 * (TASK_MAX_URGENT_PER_OWNER; admins are not capped) and {@code maxRunningPerOwner} tasks running, over
 * every replica (TASK_MAX_RUNNING_PER_OWNER); a task may run {@code maxRuntime} in all, over its attempts
 * (TASK_MAX_RUNTIME).
 */
@ConfigurationProperties(prefix = "agent-api.tasks")
public record TaskProperties(
        @DefaultValue("3") int workers,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("2s") Duration backoff,
        @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("1s") Duration reapInterval,
        @DefaultValue("5s") Duration metricsInterval,
        @DefaultValue("256KB") DataSize maxPayload,
        @DefaultValue("16KB") DataSize maxMetadata,
        @DefaultValue("1000") int maxPendingPerOwner,
        @DefaultValue("10") int maxUrgentPerOwner,
        @DefaultValue("10") int maxRunningPerOwner,
        @DefaultValue("15m") Duration maxRuntime) {

    public TaskProperties {
        if (workers < 0) {
            throw new IllegalArgumentException("agent-api.tasks.workers must be 0 or more");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("agent-api.tasks.max-attempts must be at least 1");
        }
        if (maxPendingPerOwner < 1 || maxUrgentPerOwner < 1 || maxRunningPerOwner < 1 || maxRunningPerOwner > Short.MAX_VALUE) {
            throw new IllegalArgumentException("agent-api.tasks.max-pending-per-owner, max-urgent-per-owner and "
                    + "max-running-per-owner must be at least 1 (max-running-per-owner at most 32767)");
        }
        if (maxRuntime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agent-api.tasks.max-runtime must be at least 1s");
        }
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("agent-api.tasks.heartbeat must be shorter than the lease");
        }
    }
}
