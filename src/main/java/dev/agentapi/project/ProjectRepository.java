package dev.agentapi.project;

import static dev.agentapi.database.Rows.at;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code projects}: the mirror's rows. */
@Repository
class ProjectRepository {

    private final JdbcClient jdbc;

    ProjectRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Project project) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", project.getId());
        values.put("name", project.getName());
        values.put("workspaceId", project.getWorkspaceId());
        values.put("description", project.getDescription());
        values.put("metadata", project.getMetadata());
        values.put("createdBy", project.getCreatedBy());
        values.put("createdAt", at(project.getCreatedAt()));
        values.put("updatedAt", at(project.getUpdatedAt()));
        jdbc.sql("""
                        INSERT INTO projects (id, name, workspace_id, description, metadata, created_by, created_at, updated_at)
                        VALUES (:id, :name, :workspaceId, :description, CAST(:metadata AS jsonb), :createdBy, :createdAt, :updatedAt)""")
                .params(values).update();
    }

    boolean existsByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM projects WHERE id = :id AND created_by = :owner AND deleted_at IS NULL)")
                .param("id", id).param("owner", createdBy).query(Boolean.class).single();
    }

    List<Project> findAllById(Collection<String> ids) {
        return jdbc.sql("SELECT * FROM projects WHERE id IN (:ids)").param("ids", ids).query(Project::read).list();
    }

    /** Writes the project's name (see {@link Project#rename}). */
    void updateName(Project project) {
        jdbc.sql("UPDATE projects SET name = :name, updated_at = :updatedAt WHERE id = :id")
                .param("id", project.getId()).param("name", project.getName()).param("updatedAt", at(project.getUpdatedAt()))
                .update();
    }
}
