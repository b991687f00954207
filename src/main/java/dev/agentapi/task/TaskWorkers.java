package dev.agentapi.task;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * This replica's workers: {@code agent-api.tasks.workers} loops, each claiming one task at a time
 * of the types handled here and running it under a lease. While tasks run, one heartbeat extends
 * all their leases in one statement and brings back cancel requests. Idle workers look again every
 * poll interval, or at once when this replica queues a task.
 */
@Component
class TaskWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);

    private final TaskQueueService tasks;
    private final TaskHandlers handlers;
    private final TaskExecution execution;
    private final TaskProperties properties;
    private final ThreadPoolTaskExecutorBuilder executors;
    private final TaskScheduler scheduler;
    /** Identifies this replica in lease owners and audit entries (no ':' inside: it separates the token). */
    private final String replica;
    /** Lease owner → the run holding it. */
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final Semaphore wakeups = new Semaphore(0);

    private volatile boolean running;
    private ThreadPoolTaskExecutor executor;
    private ScheduledFuture<?> heartbeat;

    /** Claims, heartbeats and transitions are the system's; a handler acts as the task's owner itself. */
    private final CurrentActor actors;

    TaskWorkers(TaskQueueService tasks, TaskHandlers handlers, TaskExecution execution, TaskProperties properties,
                ThreadPoolTaskExecutorBuilder executors, TaskScheduler scheduler, ReplicaIdentity replica, CurrentActor actors) {
        this.actors = actors;
        this.tasks = tasks;
        this.handlers = handlers;
        this.execution = execution;
        this.properties = properties;
        this.executors = executors;
        this.scheduler = scheduler;
        this.replica = replica.id();
    }

    @Override
    public void start() {
        running = true;
        int workers = properties.workers();
        if (workers == 0 || handlers.handledTypes().isEmpty()) {
            log.info("Task workers off (workers={}, handled types={})", workers, handlers.handledTypes());
            return;
        }
        executor = executors.corePoolSize(workers).maxPoolSize(workers).queueCapacity(0)
                .threadNamePrefix("task-worker-").build();
        executor.initialize();
        for (int i = 0; i < workers; i++) {
            executor.execute(() -> actors.runAs(Actor.system(), this::work));
        }
        heartbeat = scheduler.scheduleWithFixedDelay(() -> actors.runAs(Actor.system(), this::heartbeat), properties.heartbeat());
        log.info("{} task workers of replica {} claim {}", workers, replica, handlers.handledTypes());
    }

    /**
     * Stops claiming and gives running tasks the shutdown grace to finish; a task still running
     * after it is taken back by another replica when its lease runs out.
     */
    @Override
    public void stop() {
        running = false;
        wakeups.release(properties.workers());
        if (executor != null) {
            executor.shutdown();
            try {
                executor.getThreadPoolExecutor().awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts once the server listens and agent leases are kept; stops after the graceful shutdown and before the
     * leases are handed back, so a running browser task keeps its agent's browser while it finishes.
     */
    @Override
    public int getPhase() {
        return LifecyclePhases.TASK_WORKERS;
    }

    @EventListener
    void onQueued(TaskQueueService.TaskQueued queued) {
        if (handlers.handledTypes().contains(queued.taskType()) && wakeups.availablePermits() < properties.workers()) {
            wakeups.release();
        }
    }

    private void work() {
        while (running) {
            String leaseOwner = replica + ":" + UUID.randomUUID();
            long claimedAt = System.nanoTime();
            try {
                var claimed = tasks.claim(handlers.handledTypes(), null, null, leaseOwner);
                if (claimed.isEmpty()) {
                    wakeups.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                ActiveRun run = new ActiveRun(claimed.get(), leaseOwner, properties.lease(), claimedAt);
                active.put(leaseOwner, run);
                try {
                    execution.execute(run);
                } finally {
                    active.remove(leaseOwner);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // whatever it was (the database down, an Error), this worker goes on
                // back off one poll interval, then try again
                log.warn("Task worker could not claim or finish a task: {}", e.toString());
                pause();
            }
        }
    }

    private void heartbeat() {
        if (active.isEmpty()) {
            return;
        }
        // runs that start after this snapshot are not in the statement, so not judged by its answer
        Map<String, ActiveRun> running = Map.copyOf(active);
        long sentAt = System.nanoTime();
        try {
            Map<String, Boolean> held = tasks.extend(running.keySet());
            running.values().forEach(run -> {
                Boolean cancel = held.get(run.task().id());
                if (cancel == null) {
                    run.leaseLost();
                    return;
                }
                run.extended(sentAt);
                if (cancel) {
                    run.cancelRequested();
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not extend task leases: {}", e.toString());
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
