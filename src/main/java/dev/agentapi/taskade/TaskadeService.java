package dev.agentapi.taskade;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.project.ProjectMirror;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.taskade.TaskadeProblems.Envelope;
import dev.agentapi.taskade.TaskadeViews.ProjectView;
import dev.agentapi.taskade.TaskadeViews.TaskView;
import dev.agentapi.taskade.TaskadeViews.WorkspaceView;
import dev.agentapi.telemetry.Telemetry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.TreeMap;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Taskade through this service. Lists come from Taskade and refresh the mirror; what a user creates is
 * created in Taskade first, then mirrored with its audit entry in one transaction. Sharing: every user
 * shares the configured workspace ({@code TASKADE_WORKSPACE_ID}); beyond it (and with none configured, at all)
 * a user reaches only projects they created through this service. Admins reach everything the key reaches.
 */
@Service
public class TaskadeService {

    private static final Logger log = LoggerFactory.getLogger(TaskadeService.class);
    static final Envelope WORKSPACES = Envelope.of("workspaces", List.of());
    static final Envelope PROJECTS = Envelope.of("projects", List.of());
    static final Envelope PROJECT = Envelope.of("project", null);
    static final Envelope TASK = Envelope.of("task", null);

    static Envelope tasksOf(String projectId) {
        return new Envelope("tasks", List.of(), Map.of("project_id", projectId));
    }

    private final TaskadeClient taskade;
    private final TaskadeProperties properties;
    private final ProjectMirror mirror;
    private final AuditTrail audit;
    private final CurrentActor currentActor;
    private final Telemetry telemetry;
    private final TransactionTemplate transaction;
    private final Validator validator;
    private final JsonMapper json;

    TaskadeService(TaskadeClient taskade, TaskadeProperties properties, ProjectMirror mirror, AuditTrail audit,
                   CurrentActor currentActor, Telemetry telemetry, PlatformTransactionManager transactions,
                   Validator validator, JsonMapper json) {
        this.taskade = taskade;
        this.properties = properties;
        this.mirror = mirror;
        this.audit = audit;
        this.currentActor = currentActor;
        this.telemetry = telemetry;
        this.transaction = new TransactionTemplate(transactions);
        this.validator = validator;
        this.json = json;
    }

    public List<WorkspaceView> workspaces() {
        List<TaskadeClient.Workspace> all = call(WORKSPACES, "Workspace", "", taskade::workspaces);
        return all.stream()
                .filter(w -> !properties.hasWorkspace() || properties.workspaceId().equals(w.id()))
                .map(w -> new WorkspaceView(w.id(), w.name())).toList();
    }

    public List<ProjectView> projects(String requestedWorkspace) {
        String workspace = sharedWorkspace(requestedWorkspace, PROJECTS);
        List<TaskadeClient.Project> found = call(PROJECTS, "Workspace", workspace,
                () -> workspace == null ? taskade.myProjects() : taskade.projects(workspace));
        Map<String, String> names = new LinkedHashMap<>();
        found.forEach(p -> names.put(p.id(), p.name()));
        refresh(() -> mirror.refreshProjects(names));
        Actor actor = currentActor.get();
        // nothing shared without a configured workspace: a user lists what they created here, an admin everything
        Set<String> visible = properties.hasWorkspace() || actor.admin() ? names.keySet()
                : mirror.createdBy(names.keySet(), actor.userId());
        return found.stream().filter(p -> visible.contains(p.id()))
                .map(p -> new ProjectView(p.id(), p.name(), p.name(), null, workspace, null, null)).toList();
    }

    public ProjectView createProject(TaskadeInput.NewProject body) {
        TaskadeInput.NewProject request = body.normalized();
        Actor actor = currentActor.get();
        String workspace = sharedWorkspace(request.workspaceId(), PROJECT);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("title", request.title());
        AuditRecord attempt = new AuditRecord("project.create", AuditAction.CREATE, "project", null, details, null, null);
        TaskadeClient.Project created;
        try {
            String target = workspace != null ? workspace : firstWorkspace();
            details.put("workspace_id", target);
            created = taskade.createProject(target, markdown(request.title(), request.description()));
            String id = created.id();
            ProjectView view = mirrored(attempt, id, () -> {
                ProjectMirror.MirroredProjectView row = mirror.recordProject(id,
                        created.name() == null ? request.title() : created.name(), target, request.description(), actor.userId());
                ProjectView result = new ProjectView(row.id(), row.name(), row.name(), row.description(), row.workspaceId(),
                        row.createdBy(), row.createdAt());
                audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), "project", id, details, null, result));
                return result;
            });
            telemetry.event("taskade.project.created", Map.of("project_id", id, "workspace_id", target,
                    "user_id", String.valueOf(actor.userId())));
            return view;
        } catch (TaskadeFailure failure) {
            audit.recordFailure(attempt, failure.getMessage());
            throw TaskadeProblems.of(failure, PROJECT, "Workspace", String.valueOf(details.get("workspace_id")));
        }
    }

    public List<TaskView> tasks(String projectId) {
        Envelope envelope = tasksOf(projectId);
        requireReachable(projectId, envelope);
        List<TaskadeClient.Task> found = call(envelope, "Project", projectId, () -> taskade.tasks(projectId));
        refresh(() -> mirror.refreshTasks(found.stream()
                .map(t -> new ProjectMirror.TaskState(t.id(), t.text(), t.completed())).toList()));
        return found.stream().map(t -> new TaskView(t.id(), projectId, t.text(), null, null, t.completed(), t.parentId(),
                null, null, null)).toList();
    }

    /**
     * What a {@code taskade.task} payload ({@code project_id}, {@code title}, {@code description?},
     * {@code priority?}) breaks of the task route's rules (its body's constraints), field → message; empty when it
     * would be accepted.
     */
    Map<String, String> taskViolations(JsonNode payload) {
        JsonNode projectId = payload.get("project_id");
        if (projectId == null || !projectId.isString() || !TaskadeInput.isId(projectId.asString())) {
            return Map.of("project_id", "must be a Taskade project id");
        }
        TaskadeInput.NewTask task;
        try {
            task = json.treeToValue(payload, TaskadeInput.NewTask.class);
        } catch (DatabindException wrongType) {
            String field = wrongType.getPath().isEmpty() ? "payload" : wrongType.getPath().get(0).getPropertyName();
            return Map.of(field == null ? "payload" : field, "must be a string");
        }
        Map<String, String> errors = new TreeMap<>();
        validator.validate(task).forEach(v -> errors.putIfAbsent(v.getPropertyPath().toString(), v.getMessage()));
        return errors;
    }

    /** Creates a task from a payload that {@link #taskViolations} accepted (the task queue's {@code taskade.task}). */
    TaskView createTask(JsonNode payload) {
        return createTask(payload.get("project_id").asString(), json.treeToValue(payload, TaskadeInput.NewTask.class));
    }

    public TaskView createTask(String projectId, TaskadeInput.NewTask body) {
        TaskadeInput.NewTask request = body.normalized();
        Actor actor = currentActor.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("project_id", projectId);
        details.put("title", request.title());
        details.put("priority", request.priority());
        AuditRecord attempt = new AuditRecord("task.create", AuditAction.CREATE, "task", null, details, null, null);
        try {
            requireReachable(projectId, TASK);
            TaskadeClient.Task created = taskade.createTask(projectId, request.title());
            Boolean noteSaved = null;
            if (request.description() != null && !request.description().isBlank()) {
                noteSaved = saveNote(projectId, created.id(), request.description());
                details.put("description_saved", noteSaved);
            }
            String title = created.text() == null ? request.title() : created.text();
            Boolean saved = noteSaved;
            TaskView view = mirrored(attempt, created.id(), () -> {
                Instant at = mirror.recordTask(created.id(), projectId, title, request.description(), request.priority(),
                        created.completed(), actor.userId());
                TaskView result = new TaskView(created.id(), projectId, title, request.description(), request.priority(),
                        created.completed(), created.parentId(), actor.userId(), at, saved);
                audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), "task", created.id(), details,
                        null, result));
                return result;
            });
            telemetry.event("taskade.task.created", Map.of("task_id", created.id(), "project_id", projectId,
                    "priority", request.priority(), "user_id", String.valueOf(actor.userId())));
            return view;
        } catch (TaskadeFailure failure) {
            audit.recordFailure(attempt, failure.getMessage());
            throw TaskadeProblems.of(failure, TASK, "Project", projectId);
        } catch (org.springframework.web.ErrorResponseException refused) {
            audit.recordFailure(attempt, refused.getBody().getDetail());
            throw refused;
        }
    }

    /**
     * The description as the task's note. Taskade takes a note of one line, so line breaks become spaces.
     * The task exists in Taskade by now: a failed note does not undo it (a retried create would duplicate it).
     */
    private boolean saveNote(String projectId, String taskId, String description) {
        try {
            taskade.putNote(projectId, taskId, description.strip().replaceAll("[\\r\\n\\t]+", " "));
            return true;
        } catch (TaskadeFailure failure) {
            log.warn("Taskade task {} created, its note not saved: {}", taskId, failure.getMessage());
            return false;
        }
    }

    /** Mirrors what Taskade created, with its audit entry, in one transaction. */
    private <T> T mirrored(AuditRecord attempt, String id, java.util.function.Supplier<T> write) {
        try {
            return transaction.execute(status -> write.get());
        } catch (RuntimeException e) {
            log.warn("Taskade {} {} was created but could not be mirrored ({})", attempt.resourceType(), id,
                    e.getClass().getSimpleName());
            audit.recordFailure(new AuditRecord(attempt.eventType(), attempt.action(), attempt.resourceType(), id,
                    attempt.details(), null, null), "created in Taskade, not mirrored: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    /** A failed refresh loses nothing (the list still comes from Taskade): log it and answer. */
    private void refresh(Runnable refresh) {
        try {
            refresh.run();
        } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
            log.warn("Mirror refresh skipped: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * The workspace a request works in: the one asked for, else the configured one. With a workspace
     * configured, another one is outside what users share here and answers 404 without asking Taskade.
     */
    private String sharedWorkspace(String requested, Envelope envelope) {
        String wanted = requested == null || requested.isBlank() ? null : requested;
        if (wanted != null && !TaskadeInput.isId(wanted)) {
            throw TaskadeProblems.notFound(envelope, "Workspace", wanted);
        }
        if (!properties.hasWorkspace()) {
            return wanted;
        }
        if (wanted != null && !wanted.equals(properties.workspaceId()) && !currentActor.get().admin()) {
            throw TaskadeProblems.notFound(envelope, "Workspace", wanted);
        }
        return wanted != null ? wanted : properties.workspaceId();
    }

    private String firstWorkspace() {
        return taskade.workspaces().stream().map(TaskadeClient.Workspace::id).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new TaskadeFailure(TaskadeFailure.Kind.NOT_FOUND, "The Taskade key sees no workspace", 404, null));
    }

    /**
     * A project is reachable by its creator (through the mirror), by anyone when it is in the shared
     * workspace (Taskade's list of it), and by admins. Otherwise 404, before its tasks are asked for.
     */
    private void requireReachable(String projectId, Envelope envelope) {
        if (!TaskadeInput.isId(projectId)) {
            throw TaskadeProblems.notFound(envelope, "Project", projectId);
        }
        Actor actor = currentActor.get();
        if (!properties.configured() || actor.admin() || mirror.createdBy(projectId, actor.userId())) {
            return;
        }
        if (!properties.hasWorkspace()) {
            throw TaskadeProblems.notFound(envelope, "Project", projectId); // nothing is shared without one
        }
        boolean shared = call(envelope, "Workspace", properties.workspaceId(), () -> taskade.projects(properties.workspaceId()))
                .stream().anyMatch(p -> projectId.equals(p.id()));
        if (!shared) {
            throw TaskadeProblems.notFound(envelope, "Project", projectId);
        }
    }

    private static <T> T call(Envelope envelope, String what, String id, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (TaskadeFailure failure) {
            throw TaskadeProblems.of(failure, envelope, what, id);
        }
    }

    /** A Taskade project is created from markdown: its first heading is the name, the text below its description. */
    static String markdown(String title, String description) {
        String heading = "# " + title.replaceAll("[\\r\\n]+", " ");
        return description == null || description.isBlank() ? heading : heading + "\n\n" + description.strip();
    }
}
