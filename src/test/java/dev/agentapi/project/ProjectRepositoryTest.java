package dev.agentapi.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.RepositoryTest;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.jdbc.core.JdbcTemplate;

/** Mirrored Taskade projects and tasks: stored with their creator, found by owner, and written again only when Taskade's copy changed. */
@RepositoryTest
class ProjectRepositoryTest {

    @Autowired
    ProjectRepository projects;
    @Autowired
    MirroredTaskRepository tasks;
    @Autowired
    TestEntityManager entities;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EntityManagerFactory entityManagerFactory;

    private Statistics statistics() {
        return entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
    }

    @Test
    void aProjectIsFoundForItsCreatorOnly() {
        String id = "p-" + UUID.randomUUID();
        projects.saveAndFlush(new Project(id, "Launch", "ws-1", "the launch", "alice", Instant.now()));
        entities.clear();

        assertThat(projects.existsByIdAndCreatedByAndDeletedAtIsNull(id, "alice")).isTrue();
        assertThat(projects.existsByIdAndCreatedByAndDeletedAtIsNull(id, "bob")).isFalse();
        Project read = projects.findById(id).orElseThrow();
        assertThat(read.getName()).isEqualTo("Launch");
        assertThat(read.getWorkspaceId()).isEqualTo("ws-1");
        assertThat(jdbc.queryForObject("SELECT metadata->>'source' FROM projects WHERE id = ?", String.class, id)).isEqualTo("taskade");
    }

    @Test
    void aRenameIsWrittenOnlyWhenTheNameChanged() {
        String id = "p-" + UUID.randomUUID();
        projects.saveAndFlush(new Project(id, "Launch", null, null, "alice", Instant.now()));
        entities.clear();
        statistics().clear();

        Project read = projects.findById(id).orElseThrow();
        assertThat(read.rename("Launch", Instant.now())).isFalse();
        entities.flush();
        assertThat(statistics().getEntityUpdateCount()).isZero();
        assertThat(read.rename("Liftoff", Instant.now())).isTrue();
        entities.flush();
        assertThat(statistics().getEntityUpdateCount()).isOne();
    }

    @Test
    void mirroredTasksAreTheTaskadeRowsOfTheTasksTable() {
        String mirrored = "t-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tasks.saveAndFlush(new MirroredTask(mirrored, null, "Write the notes", null, "medium", false, "alice", now));
        entities.clear();

        List<MirroredTask> found = tasks.findByIdInAndSource(List.of(mirrored, "t-missing"), MirroredTask.SOURCE);
        assertThat(found).extracting(MirroredTask::getId).containsExactly(mirrored);
        assertThat(found.get(0).refresh("Write the notes", false, Instant.now())).isFalse();
        assertThat(found.get(0).refresh("Write the notes", true, Instant.now())).isTrue();
        entities.flush();
        assertThat(jdbc.queryForObject("SELECT status FROM tasks WHERE id = ?", String.class, mirrored)).isEqualTo("completed");
        assertThat(tasks.findByIdInAndSource(List.of(mirrored), "queue")).isEmpty();
    }
}
