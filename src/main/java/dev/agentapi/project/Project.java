package dev.agentapi.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A project (Taskade-linked). Mapped now so the schema is validated at start-up; its API arrives
 * with the Taskade work.
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
}
