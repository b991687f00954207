package dev.agentapi.taskade;

import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.task.TaskFailure;
import dev.agentapi.task.TaskHandler;
import dev.agentapi.task.TaskRun;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code taskade.task}: {@code {"project_id", "title", "description"?, "priority"?}} creates the task in
 * Taskade through the same service as {@code POST /api/agents/taskade/projects/{id}/tasks}, as the task's
 * creator (so the project must be reachable for them, and the mirror row and audit entry are theirs).
 * Taskade being down, slow or out of breath is worth another attempt; a refusal (no such project, bad
 * key) is not.
 */
@Component
class TaskadeTaskHandler implements TaskHandler {

    static final String TYPE = "taskade.task";

    private final TaskadeService taskade;
    private final CurrentActor currentActor;
    private final JsonMapper json;

    TaskadeTaskHandler(TaskadeService taskade, CurrentActor currentActor, JsonMapper json) {
        this.taskade = taskade;
        this.currentActor = currentActor;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, String> validate(JsonNode payload) {
        return taskade.taskViolations(payload);
    }

    @Override
    public JsonNode run(TaskRun run) {
        run.checkpoint();
        Actor owner = new Actor(run.owner(), null, null, null, false);
        try {
            return json.valueToTree(currentActor.runAs(owner, () -> taskade.createTask(run.payload())));
        } catch (ErrorResponseException refused) {
            int status = refused.getStatusCode().value();
            throw new TaskFailure("Taskade task not created: " + refused.getBody().getDetail(),
                    status == 503 || status == 504 || status == 429, Map.of("status", status));
        }
    }
}
