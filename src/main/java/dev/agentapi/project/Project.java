package dev.agentapi.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A Taskade project this service created, mirrored here with who created it: the id is Taskade's,
 * {@code name} its title. Lists from Taskade refresh the name.
 */
@Entity
@Table(name = "projects")
class Project {

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Column(name = "workspace_id")
    private String workspaceId;

    @Column(name = "folder_id")
    private String folderId;

    private String description;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    private String metadata;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    protected Project() {
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
