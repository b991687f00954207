package dev.agentapi.task;

import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Takes back tasks whose worker stopped renewing the lease (its replica died, hung or lost the
 * database). Every replica runs it; SKIP LOCKED keeps two reapers off the same rows. It also deletes the task traces
 * past their retention.
 */
@Component
class TaskReaper {

    private static final Logger log = LoggerFactory.getLogger(TaskReaper.class);
    private static final int BATCH = 100;

    private final TaskQueueService tasks;
    private final CurrentActor actors;

    TaskReaper(TaskQueueService tasks, CurrentActor actors) {
        this.tasks = tasks;
        this.actors = actors;
    }

    @Scheduled(fixedDelayString = "${agent-api.tasks.reap-interval:1s}", initialDelayString = "${agent-api.tasks.reap-interval:1s}")
    void reap() {
        actors.runAs(Actor.system(), this::reapAll); // the service's own work, audited as the system's
    }

    /** Deletes the task traces past their retention (every replica runs it; a delete of nothing costs an index probe). */
    @Scheduled(fixedDelayString = "${agent-api.traces.cleanup-interval:1h}", initialDelayString = "${agent-api.traces.cleanup-interval:1h}")
    void deleteExpiredTraces() {
        try {
            int deleted = tasks.deleteExpiredTraces();
            if (deleted > 0) {
                log.info("Deleted {} expired task traces", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Expired task traces not deleted this time: {}", e.getMessage());
        }
    }

    private void reapAll() {
        try {
            int reaped;
            do {
                reaped = tasks.reapExpired(BATCH);
                if (reaped > 0) {
                    log.info("Took back {} tasks whose lease expired", reaped);
                }
            } while (reaped == BATCH);
        } catch (RuntimeException e) {
            log.warn("Could not take back expired task leases: {}", e.toString());
        }
    }
}
