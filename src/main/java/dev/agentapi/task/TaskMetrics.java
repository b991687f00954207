package dev.agentapi.task;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code task_queue_depth} and {@code task_queue_oldest_age_seconds} per priority: pending queue
 * tasks and the age of the oldest. A scrape reads the figures of the last refresh, never the
 * database; NaN until the first refresh and while the database cannot answer.
 */
@Component
class TaskMetrics {

    private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);
    private static final double[] UNKNOWN = {Double.NaN, Double.NaN};

    private final TaskQueue queue;
    private final AtomicReference<Map<TaskPriority, double[]>> latest = new AtomicReference<>();

    TaskMetrics(TaskQueue queue, MeterRegistry meters) {
        this.queue = queue;
        for (TaskPriority priority : TaskPriority.values()) {
            Gauge.builder("task_queue_depth", () -> figure(priority)[0])
                    .tag("priority", priority.value())
                    .description("Pending queue tasks")
                    .register(meters);
            Gauge.builder("task_queue_oldest_age_seconds", () -> figure(priority)[1])
                    .tag("priority", priority.value())
                    .description("Age of the oldest pending queue task")
                    .baseUnit("seconds")
                    .register(meters);
        }
    }

    @Scheduled(fixedDelayString = "${agent-api.tasks.metrics-interval:5s}")
    void refresh() {
        try {
            Map<TaskPriority, double[]> depth = new EnumMap<>(TaskPriority.class);
            for (TaskPriority priority : TaskPriority.values()) {
                depth.put(priority, new double[] {0, 0});
            }
            depth.putAll(queue.depth());
            latest.set(depth);
        } catch (RuntimeException e) {
            latest.set(null);
            log.debug("Queue figures unavailable: {}", e.toString());
        }
    }

    private double[] figure(TaskPriority priority) {
        Map<TaskPriority, double[]> depth = latest.get();
        return depth == null ? UNKNOWN : depth.get(priority);
    }
}
