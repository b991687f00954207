package dev.agentapi.project;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The local record of what this service created in Taskade ({@code projects}, and {@code tasks} rows
 * with {@code source = 'taskade'}), so "who created what, when" has an answer without Taskade.
 * Writes join the caller's transaction, which also writes the audit entry.
 */
@Service
public class ProjectMirror {

    /** A mirrored project as callers see it. */
    public record MirroredProjectView(String id, String name, String workspaceId, String description, String createdBy,
                                      Instant createdAt) {
    }

    private final ProjectRepository projects;
    private final MirroredTaskRepository tasks;

    ProjectMirror(ProjectRepository projects, MirroredTaskRepository tasks) {
        this.projects = projects;
        this.tasks = tasks;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public MirroredProjectView recordProject(String id, String name, String workspaceId, String description, String createdBy) {
        Project project = projects.saveAndFlush(new Project(id, name, workspaceId, description, createdBy, now()));
        return new MirroredProjectView(project.getId(), project.getName(), project.getWorkspaceId(),
                project.getDescription(), project.getCreatedBy(), project.getCreatedAt());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Instant recordTask(String id, String projectId, String title, String description, String priority,
                              boolean completed, String createdBy) {
        Instant now = now();
        tasks.saveAndFlush(new MirroredTask(id, projectId, title, description, priority, completed, createdBy, now));
        return now;
    }

    /** Whether {@code userId} created this project through the service (and it is not deleted). */
    @Transactional(readOnly = true)
    public boolean createdBy(String projectId, String userId) {
        return projects.existsByIdAndCreatedByAndDeletedAtIsNull(projectId, userId);
    }

    /** Which of {@code projectIds} {@code userId} created through the service (and are not deleted), in one query. */
    @Transactional(readOnly = true)
    public Set<String> createdBy(Collection<String> projectIds, String userId) {
        return projectIds.isEmpty() ? Set.of() : projects.findIdsCreatedBy(projectIds, userId);
    }

    /** Takes Taskade's current names (id to name) for the projects mirrored here; returns how many changed. */
    @Transactional
    public int refreshProjects(Map<String, String> namesById) {
        if (namesById.isEmpty()) {
            return 0;
        }
        Instant now = now();
        int changed = 0;
        for (Project project : projects.findAllById(namesById.keySet())) {
            if (project.rename(namesById.get(project.getId()), now)) {
                changed++;
            }
        }
        return changed;
    }

    /** Takes Taskade's current text and completion for the tasks mirrored here; returns how many changed. */
    @Transactional
    public int refreshTasks(Collection<TaskState> current) {
        if (current.isEmpty()) {
            return 0;
        }
        Map<String, TaskState> byId = current.stream()
                .collect(java.util.stream.Collectors.toMap(TaskState::id, s -> s, (a, b) -> a));
        Instant now = now();
        int changed = 0;
        for (MirroredTask task : tasks.findByIdInAndSource(byId.keySet(), MirroredTask.SOURCE)) {
            TaskState state = byId.get(task.getId());
            if (task.refresh(state.text(), state.completed(), now)) {
                changed++;
            }
        }
        return changed;
    }

    /** A task as Taskade reports it now. */
    public record TaskState(String id, String text, boolean completed) {
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
