package dev.agentapi.project;

import dev.agentapi.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A Taskade project this service created, mirrored here with who created it: the id is Taskade's,
 * {@code name} its title. Lists from Taskade refresh the name.
 */
class Project {

    private String id;
    private String name;
    private String workspaceId;
    private String description;
    private String metadata;
    private String createdBy;
    private Instant createdAt;
    private Instant updatedAt;

    private Project() {
    }

    /** The project a {@code SELECT *} row of {@code projects} holds. */
    static Project read(ResultSet row, int number) throws SQLException {
        Project project = new Project();
        project.id = row.getString("id");
        project.name = row.getString("name");
        project.workspaceId = row.getString("workspace_id");
        project.description = row.getString("description");
        project.metadata = row.getString("metadata");
        project.createdBy = row.getString("created_by");
        project.createdAt = Rows.instant(row, "created_at");
        project.updatedAt = Rows.instant(row, "updated_at");
        return project;
    }

    Project(String id, String name, String workspaceId, String description, String createdBy, Instant now) {
        this.id = id;
        this.name = name;
        this.workspaceId = workspaceId;
        this.description = description;
        this.metadata = "{\"source\": \"taskade\"}";
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    String getId() {
        return id;
    }

    String getName() {
        return name;
    }

    String getWorkspaceId() {
        return workspaceId;
    }

    String getDescription() {
        return description;
    }

    String getCreatedBy() {
        return createdBy;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    String getMetadata() {
        return metadata;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Taskade's current title; true when it changed. */
    boolean rename(String newName, Instant now) {
        if (newName == null || newName.isBlank() || newName.equals(name)) {
            return false;
        }
        this.name = newName.length() > 255 ? newName.substring(0, 255) : newName;
        this.updatedAt = now;
        return true;
    }
}
