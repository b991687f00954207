package dev.agentapi.task;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Component
class TaskViews {

    private final JsonMapper json;

    TaskViews(JsonMapper json) {
        this.json = json;
    }

    TaskView of(TaskRow row) {
        return new TaskView(row.id(), row.title(), row.description(), row.status(), row.priority(), row.taskType(),
                row.platform(), tree(row.metadata()), tree(row.payload()), tree(row.result()), tree(row.error()),
                row.agentId(), row.attempts(), row.maxAttempts(), row.cancelRequested(), row.leaseExpiresAt(),
                row.runAfter(), row.createdBy(), row.createdAt(), row.updatedAt(), row.startedAt(), row.completedAt(), row.trace());
    }

    JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
