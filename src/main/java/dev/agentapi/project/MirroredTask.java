package dev.agentapi.project;

import dev.agentapi.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A Taskade task this service created, as a row of {@code tasks} with {@code source = 'taskade'}.
 * Maps only the columns a mirror row uses (the queue's columns keep their database defaults), so the
 * task queue's own view of the same table can change without this one.
 */
class MirroredTask {

    static final String SOURCE = "taskade";

    private String id;
    private String title;
    private String description;
    private String status;
    private String priority;
    private String projectId;
    private String source;
    private String createdBy;
    private Instant createdAt;
    private Instant updatedAt;

    private MirroredTask() {
    }

    /** The columns of a {@code tasks} row this class maps, from a {@code SELECT *} row. */
    static MirroredTask read(ResultSet row, int number) throws SQLException {
        MirroredTask task = new MirroredTask();
        task.id = row.getString("id");
        task.title = row.getString("title");
        task.description = row.getString("description");
        task.status = row.getString("status");
        task.priority = row.getString("priority");
        task.projectId = row.getString("project_id");
        task.source = row.getString("source");
        task.createdBy = row.getString("created_by");
        task.createdAt = Rows.instant(row, "created_at");
        task.updatedAt = Rows.instant(row, "updated_at");
        return task;
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

    String getTitle() {
        return title;
    }

    String getDescription() {
        return description;
    }

    String getStatus() {
        return status;
    }

    String getPriority() {
        return priority;
    }

    String getProjectId() {
        return projectId;
    }

    String getCreatedBy() {
        return createdBy;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
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
