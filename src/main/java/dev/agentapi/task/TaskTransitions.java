package dev.agentapi.task;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.telemetry.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Every change of a task's status leaves an audit entry, written in the transaction that makes the
 * change, and a telemetry event once it is durable. Entries carry a summary, not the payload.
 */
@Component
class TaskTransitions {

    static final String RESOURCE = "task";

    private final AuditTrail audit;
    private final Telemetry telemetry;

    TaskTransitions(AuditTrail audit, Telemetry telemetry) {
        this.audit = audit;
        this.telemetry = telemetry;
    }

    /** In the transaction that changed the task. */
    void audit(String event, AuditAction action, TaskRow task, Map<String, ?> details) {
        audit.recordSuccess(new AuditRecord(event, action, RESOURCE, task.id(), details, null, summary(task)));
    }

    /** After the commit. */
    void announce(String event, TaskRow task) {
        Map<String, String> properties = new LinkedHashMap<>();
        summary(task).forEach((k, v) -> properties.put(k, String.valueOf(v)));
        telemetry.event(event, properties);
    }

    private static Map<String, Object> summary(TaskRow task) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task_id", task.id());
        summary.put("task_type", task.taskType());
        summary.put("status", task.status().value());
        summary.put("priority", task.priority().value());
        summary.put("attempts", task.attempts());
        summary.put("owner", task.createdBy());
        return summary;
    }

    /** The event a finished run or a taken-back lease stands for, from the status it left the task in. */
    static String outcome(TaskRow task) {
        return switch (task.status()) {
            case PENDING -> "task.retry_scheduled";
            case COMPLETED -> "task.completed";
            case FAILED -> "task.failed";
            case CANCELLED -> "task.cancelled";
            case RUNNING -> "task.running";
        };
    }
}
