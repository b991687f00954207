package dev.agentapi.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A Taskade task this service created, as a row of {@code tasks} with {@code source = 'taskade'}.
 * Maps only the columns a mirror row uses (the queue's columns keep their database defaults), so the
 * task queue's own entity of the same table can change without this one.
 */
@Entity
@Table(name = "tasks")
class MirroredTask {

    static final String SOURCE = "taskade";

    @Id
    private String id;

    @Column(nullable = false)
    private String title;

    private String description;

    @Column(nullable = false)
    private String status;

    @Column(nullable = false)
    private String priority;

    @Column(name = "project_id")
    private String projectId;

    @Column(nullable = false)
    private String source;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected MirroredTask() {
    }

    MirroredTask(String id, String projectId, String title, String description, String priority, boolean completed,
                 String createdBy, Instant now) {
        this.id = id;
        this.projectId = projectId;
        this.title = title;
        this.description = description;
        this.priority = priority;
        this.status = completed ? "completed" : "pending";
        this.source = SOURCE;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    String getId() {
        return id;
    }

    String getSource() {
        return source;
    }

    /** Taskade's current text and completion; true when either changed. */
    boolean refresh(String text, boolean completed, Instant now) {
        String newStatus = completed ? "completed" : "pending";
        boolean renamed = text != null && !text.isBlank() && !text.equals(title);
        if (!renamed && newStatus.equals(status)) {
            return false;
        }
        if (renamed) {
            this.title = text.length() > 500 ? text.substring(0, 500) : text;
        }
        this.status = newStatus;
        this.updatedAt = now;
        return true;
    }
}
