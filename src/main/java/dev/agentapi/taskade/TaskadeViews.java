package dev.agentapi.taskade;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/** What the Taskade routes answer: the seed's envelopes ({@code success}, the data, {@code error}) and their items. */
public final class TaskadeViews {

    private TaskadeViews() {
    }

    @Schema(name = "TaskadeWorkspace")
    record WorkspaceView(String id, @Nullable String name) {
    }

    /** {@code name} is Taskade's; {@code title} the same value under the seed's name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TaskadeProject", requiredProperties = "id")
    record ProjectView(String id, String name, String title, String description, String workspaceId, String createdBy,
                       Instant createdAt) {
    }

    /**
     * {@code title} is Taskade's task text. {@code description} and {@code priority} are known for tasks created
     * through this service; {@code descriptionSaved} says whether the description reached Taskade as the task's note.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TaskadeTask", requiredProperties = {"id", "completed"})
    public record TaskView(String id, String projectId, String title, String description, String priority, boolean completed,
                    String parentId, String createdBy, Instant createdAt, Boolean descriptionSaved) {
    }

    @Schema(name = "TaskadeWorkspaceList")
    record Workspaces(boolean success, List<WorkspaceView> workspaces, @Nullable String error) {
        Workspaces(List<WorkspaceView> workspaces) {
            this(true, workspaces, null);
        }
    }

    @Schema(name = "TaskadeProjectList")
    record Projects(boolean success, List<ProjectView> projects, @Nullable String error) {
        Projects(List<ProjectView> projects) {
            this(true, projects, null);
        }
    }

    @Schema(name = "TaskadeProjectCreated")
    record CreatedProject(boolean success, ProjectView project, @Nullable String error) {
        CreatedProject(ProjectView project) {
            this(true, project, null);
        }
    }

    @Schema(name = "TaskadeTaskList")
    record Tasks(boolean success, String projectId, List<TaskView> tasks, @Nullable String error) {
        Tasks(String projectId, List<TaskView> tasks) {
            this(true, projectId, tasks, null);
        }
    }

    @Schema(name = "TaskadeTaskCreated")
    record CreatedTask(boolean success, TaskView task, @Nullable String error) {
        CreatedTask(TaskView task) {
            this(true, task, null);
        }
    }
}
