package dev.agentapi.taskade;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the Taskade routes answer: the seed's envelopes ({@code success}, the data, {@code error}) and their items. */
public final class TaskadeViews {

    private TaskadeViews() {
    }

    record WorkspaceView(String id, String name) {
    }

    /** {@code name} is Taskade's; {@code title} the same value under the seed's name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectView(String id, String name, String title, String description, String workspaceId, String createdBy,
                       Instant createdAt) {
    }

    /**
     * {@code title} is Taskade's task text. {@code description} and {@code priority} are known for tasks created
     * through this service; {@code descriptionSaved} says whether the description reached Taskade as the task's note.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskView(String id, String projectId, String title, String description, String priority, boolean completed,
                    String parentId, String createdBy, Instant createdAt, Boolean descriptionSaved) {
    }

    record Workspaces(boolean success, List<WorkspaceView> workspaces, String error) {
        Workspaces(List<WorkspaceView> workspaces) {
            this(true, workspaces, null);
        }
    }

    record Projects(boolean success, List<ProjectView> projects, String error) {
        Projects(List<ProjectView> projects) {
            this(true, projects, null);
        }
    }

    record CreatedProject(boolean success, ProjectView project, String error) {
        CreatedProject(ProjectView project) {
            this(true, project, null);
        }
    }

    record Tasks(boolean success, String projectId, List<TaskView> tasks, String error) {
        Tasks(String projectId, List<TaskView> tasks) {
            this(true, projectId, tasks, null);
        }
    }

    record CreatedTask(boolean success, TaskView task, String error) {
        CreatedTask(TaskView task) {
            this(true, task, null);
        }
    }
}
