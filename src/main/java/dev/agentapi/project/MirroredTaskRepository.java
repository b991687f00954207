package dev.agentapi.project;

import static dev.agentapi.database.Rows.at;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The mirror's rows of {@code tasks} (see {@link MirroredTask}); the task queue's rows are not touched here. */
@Repository
class MirroredTaskRepository {

    private final JdbcClient jdbc;

    MirroredTaskRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(MirroredTask task) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", task.getId());
        values.put("title", task.getTitle());
        values.put("description", task.getDescription());
        values.put("status", task.getStatus());
        values.put("priority", task.getPriority());
        values.put("projectId", task.getProjectId());
        values.put("source", task.getSource());
        values.put("createdBy", task.getCreatedBy());
        values.put("createdAt", at(task.getCreatedAt()));
        values.put("updatedAt", at(task.getUpdatedAt()));
        jdbc.sql("""
                        INSERT INTO tasks (id, title, description, status, priority, project_id, source, created_by, created_at, updated_at)
                        VALUES (:id, :title, :description, :status, :priority, :projectId, :source, :createdBy, :createdAt, :updatedAt)""")
                .params(values).update();
    }

    List<MirroredTask> findByIdInAndSource(Collection<String> ids, String source) {
        return jdbc.sql("SELECT * FROM tasks WHERE id IN (:ids) AND source = :source")
                .param("ids", ids).param("source", source).query(MirroredTask::read).list();
    }

    /** Writes the task's title and status (see {@link MirroredTask#refresh}). */
    void updateState(MirroredTask task) {
        jdbc.sql("UPDATE tasks SET title = :title, status = :status, updated_at = :updatedAt WHERE id = :id AND source = :source")
                .param("id", task.getId()).param("title", task.getTitle()).param("status", task.getStatus())
                .param("updatedAt", at(task.getUpdatedAt())).param("source", task.getSource()).update();
    }
}
