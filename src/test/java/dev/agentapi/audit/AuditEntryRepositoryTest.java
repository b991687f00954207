package dev.agentapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.support.RepositoryTest;
import dev.agentapi.support.StatementRecorder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit trail's table through its append-only repository: entries read back as written, pages cost two queries at most, history cannot change. */
@RepositoryTest
@Import(StatementRecorder.class)
class AuditEntryRepositoryTest {

    @Autowired
    AuditEntryRepository entries;
    @Autowired
    TestEntityManager entities;
    @Autowired
    JdbcTemplate jdbc;

    private static AuditEntry entry(String resourceId, Instant at) {
        return new AuditEntry("agent.create", AuditAction.CREATE, "browser_agent", resourceId, "alice", null, "127.0.0.1",
                "test", "{\"channel\": \"chromium\"}", null, "{\"status\": \"created\"}", true, null, at);
    }

    private static Specification<AuditEntry> about(String resourceId) {
        return (root, query, cb) -> cb.equal(root.get("resourceId"), resourceId);
    }

    @Test
    void anEntryReadsBackAsWritten() {
        String id = "audited-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AuditEntry saved = entries.save(entry(id, at));
        entities.flush();
        entities.clear();

        AuditEntry read = entries.findAll(about(id), PageRequest.of(0, 10)).getContent().get(0);
        assertThat(read.getId()).isEqualTo(saved.getId()).isNotNull();
        assertThat(read.getAction()).isEqualTo(AuditAction.CREATE);
        assertThat(read.getDetails()).isEqualTo("{\"channel\": \"chromium\"}");
        assertThat(read.getOldValue()).isNull();
        assertThat(read.getNewValue()).isEqualTo("{\"status\": \"created\"}");
        assertThat(read.getTimestamp()).isEqualTo(at);
        assertThat(entries.count()).isPositive();
    }

    @Test
    void theDatabaseRefusesToChangeOrRemoveAnEntry() {
        String id = "audited-" + UUID.randomUUID();
        AuditEntry saved = entries.save(entry(id, Instant.now()));
        entities.flush();

        assertThatThrownBy(() -> jdbc.update("UPDATE audit_logs SET success = false WHERE id = ?", saved.getId()))
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void aPageOfAHundredEntriesIsOneQueryAndACountAndTheLastPageNeedsNoCount() {
        String id = "audited-" + UUID.randomUUID();
        Instant at = Instant.now();
        for (int i = 0; i < 150; i++) {
            entries.save(entry(id, at.plusMillis(i)));
        }
        entities.flush();
        entities.clear();
        Sort newestFirst = Sort.by(Sort.Order.desc("timestamp"), Sort.Order.desc("id"));

        StatementRecorder.Result<Page<AuditEntry>> first = StatementRecorder.record(() ->
                entries.findAll(about(id), PageRequest.of(0, 100, newestFirst)));
        assertThat(first.value().getContent()).hasSize(100);
        assertThat(first.value().getTotalElements()).isEqualTo(150);
        assertThat(first.statements()).as("the page and its count, however many entries").hasSize(2);

        StatementRecorder.Result<Page<AuditEntry>> last = StatementRecorder.record(() ->
                entries.findAll(about(id), PageRequest.of(1, 100, newestFirst)));
        assertThat(last.value().getContent()).hasSize(50);
        assertThat(last.value().getTotalElements()).isEqualTo(150);
        assertThat(last.statements()).as("a last page knows its total without counting").hasSize(1);
    }
}
