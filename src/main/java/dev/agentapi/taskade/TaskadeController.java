package dev.agentapi.taskade;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The seed's Taskade routes: workspaces, projects and their tasks, through the service's Taskade key. */
@RestController
@RequestMapping("/api/agents/taskade")
@Tag(name = "Taskade", description = "Taskade workspaces, projects and tasks; what is created here is mirrored and audited")
@ApiResponse(responseCode = "502", description = "Taskade answered an error or could not be reached (seed envelope + problem fields)")
@ApiResponse(responseCode = "503", description = "No Taskade key configured, or calls to Taskade are paused after repeated failures; retry after `Retry-After` seconds")
@ApiResponse(responseCode = "504", description = "Taskade did not answer in time")
public class TaskadeController {

    private final TaskadeService taskade;

    public TaskadeController(TaskadeService taskade) {
        this.taskade = taskade;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listTaskadeWorkspaces", summary = "Taskade workspaces the service shares (`{success, workspaces, error}`)")
    @ApiResponse(responseCode = "200", description = "The workspaces")
    @ApiResponse(responseCode = "404", description = "Taskade answered that it has no such thing (the key's workspaces are gone)")
    public TaskadeViews.Workspaces workspaces() {
        return new TaskadeViews.Workspaces(taskade.workspaces());
    }

    @GetMapping(path = "/projects", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listTaskadeProjects", summary = "Projects of a workspace (`{success, projects, error}`), from Taskade")
    @ApiResponse(responseCode = "200", description = "The projects")
    @ApiResponse(responseCode = "404", description = "No such workspace, or one outside the shared workspace")
    public TaskadeViews.Projects projects(
            @Parameter(description = "Workspace; default: the configured one (TASKADE_WORKSPACE_ID), else the key owner's projects")
            @RequestParam(name = "workspace_id", required = false) String workspaceId) {
        return new TaskadeViews.Projects(taskade.projects(workspaceId));
    }

    @PostMapping(path = "/projects", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createTaskadeProject", summary = "Create a Taskade project (`{title, description?, workspace_id?}`), mirrored and audited")
    @ApiResponse(responseCode = "201", description = "`{success, project, error}`",
            headers = @Header(name = "Location", required = true, description = "Where the project's tasks are", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "No title (`{\"error\": \"title is required\"}`), or invalid fields")
    @ApiResponse(responseCode = "404", description = "No such workspace, or one outside the shared workspace")
    public ResponseEntity<TaskadeViews.CreatedProject> createProject(
            @Valid @RequestBody TaskadeInput.NewProject request) {
        TaskadeViews.ProjectView project = taskade.createProject(request);
        return ResponseEntity.created(URI.create("/api/agents/taskade/projects/" + project.id() + "/tasks"))
                .body(new TaskadeViews.CreatedProject(project));
    }

    @GetMapping(path = "/projects/{projectId}/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listTaskadeTasks", summary = "Tasks of a project (`{success, project_id, tasks, error}`), from Taskade")
    @ApiResponse(responseCode = "200", description = "The tasks")
    @ApiResponse(responseCode = "404", description = "Taskade has no such project, or it is not shared with you")
    public TaskadeViews.Tasks tasks(@PathVariable String projectId) {
        return new TaskadeViews.Tasks(projectId, taskade.tasks(projectId));
    }

    @PostMapping(path = "/projects/{projectId}/tasks", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createTaskadeTask", summary = "Create a task (`{title, description?, priority?}`), mirrored and audited")
    @ApiResponse(responseCode = "201", description = "`{success, task, error}`",
            headers = @Header(name = "Location", required = true, description = "Where the project's tasks are", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "No title (`{\"error\": \"title is required\"}`), or invalid fields")
    @ApiResponse(responseCode = "404", description = "Taskade has no such project, or it is not shared with you")
    public ResponseEntity<TaskadeViews.CreatedTask> createTask(@PathVariable String projectId,
            @Valid @RequestBody TaskadeInput.NewTask request) {
        TaskadeViews.TaskView task = taskade.createTask(projectId, request);
        return ResponseEntity.created(URI.create("/api/agents/taskade/projects/" + projectId + "/tasks"))
                .body(new TaskadeViews.CreatedTask(task));
    }
}
