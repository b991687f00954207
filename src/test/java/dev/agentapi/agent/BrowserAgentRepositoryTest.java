package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.support.RepositoryTest;
import dev.agentapi.support.StatementRecorder;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.context.annotation.Import;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The agent entity as Spring Data JPA stores it: what is stored reads back, Hibernate's dirty checking writes
 * nothing for an unchanged agent, {@code @Version} refuses a write over a version changed meanwhile, and list
 * windows select no config.
 */
@RepositoryTest
@Import(StatementRecorder.class)
class BrowserAgentRepositoryTest {

    @Autowired
    BrowserAgentRepository agents;
    @Autowired
    TestEntityManager entities;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EntityManagerFactory entityManagerFactory;
    Statistics statistics;

    @BeforeEach
    void statistics() {
        statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
    }

    private static BrowserAgent newAgent(String id, Instant now) {
        return new BrowserAgent(id, BrowserChannel.CHROME, false, "{\"locale\": \"de-DE\"}", "repo-owner", "UA/1", 800, 600, now);
    }

    private Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT version, config::text AS config FROM browser_agents WHERE id = ?", id);
    }

    @Test
    void aNewAgentIsStoredAtVersionZeroAndReadsBackAsWritten() {
        String id = "repo-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        agents.saveAndFlush(newAgent(id, now));
        entities.clear();

        BrowserAgent read = agents.findByIdAndCreatedByAndDeletedAtIsNull(id, "repo-owner").orElseThrow();
        assertThat(read.getVersion()).isZero();
        assertThat(read.getChannel()).isEqualTo(BrowserChannel.CHROME);
        assertThat(read.isHeadless()).isFalse();
        assertThat(read.getStatus()).isEqualTo(AgentStatus.CREATED);
        assertThat(read.getConfig()).isEqualTo("{\"locale\": \"de-DE\"}");
        assertThat(read.getUserAgent()).isEqualTo("UA/1");
        assertThat(read.getViewportWidth()).isEqualTo(800);
        assertThat(read.getViewportHeight()).isEqualTo(600);
        assertThat(read.getCreatedAt()).isEqualTo(now);
        assertThat(read.getUpdatedAt()).isEqualTo(now);
        assertThat(read.getDeletedAt()).isNull();
        assertThat(read.getEffectiveChannel()).isNull();
        assertThat(row(id)).containsEntry("config", "{\"locale\": \"de-DE\"}");
        assertThat(agents.findByIdAndCreatedByAndDeletedAtIsNull(id, "someone-else")).isEmpty();
        assertThat(agents.existsById(id)).isTrue();
    }

    @Test
    void anUnchangedAgentIsNotWrittenAgain() {
        String id = "repo-" + UUID.randomUUID();
        agents.saveAndFlush(newAgent(id, Instant.now().truncatedTo(ChronoUnit.MICROS)));
        BrowserAgent starting = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();
        starting.markStarting(Instant.now());
        agents.saveAndFlush(starting);
        entities.clear();
        statistics.clear();

        BrowserAgent read = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();
        read.markStarting(Instant.now()); // already starting: nothing changes
        agents.saveAndFlush(read);

        assertThat(statistics.getEntityUpdateCount()).isZero();
        assertThat(read.getVersion()).isOne();
        read.markRunning(BrowserChannel.CHROMIUM, Instant.now());
        agents.saveAndFlush(read);
        assertThat(statistics.getEntityUpdateCount()).as("a change is written").isOne();
        assertThat(row(id)).containsEntry("version", 2L);
    }

    @Test
    @Transactional(propagation = Propagation.NOT_SUPPORTED) // two readers, each in a transaction of its own
    void aWriteOverAVersionChangedMeanwhileIsRefusedAndOverwritesNothing() {
        String id = "repo-" + UUID.randomUUID();
        agents.save(newAgent(id, Instant.now().truncatedTo(ChronoUnit.MICROS)));
        try {
            BrowserAgent first = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();
            BrowserAgent second = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();

            first.reconfigure("{\"first\": true}", null, null, null, Instant.now());
            agents.save(first);
            second.reconfigure("{\"second\": true}", null, null, null, Instant.now());

            assertThatThrownBy(() -> agents.save(second)).isInstanceOf(OptimisticLockingFailureException.class);
            assertThat(row(id)).containsEntry("version", 1L).containsEntry("config", "{\"first\": true}");
        } finally {
            agents.deleteById(id);
        }
    }

    @Test
    void listWindowsAreNewestFirstAndSelectNoConfig() {
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            // two pairs share a created_at: the id orders them
            agents.save(new BrowserAgent("win-" + i, BrowserChannel.CHROMIUM, true, "{}", "window-owner", null, 1280, 720,
                    base.plusSeconds(i / 2)));
        }
        agents.flush();

        StatementRecorder.Result<Window<AgentSummary>> first = StatementRecorder.record(() ->
                agents.findByCreatedByAndCreatedAtLessThanEqualAndDeletedAtIsNull("window-owner", base.plusSeconds(60),
                        ScrollPosition.keyset(), AgentListing.NEWEST_FIRST, Limit.of(3)));
        assertThat(first.value().getContent()).extracting(AgentSummary::getId).containsExactly("win-4", "win-2", "win-3");
        assertThat(first.value().hasNext()).isTrue();
        assertThat(first.statements()).singleElement()
                .satisfies(statement -> assertThat(statement.sql()).doesNotContain("config").contains("created_at"));

        AgentSummary last = first.value().getContent().get(2);
        Window<AgentSummary> next = agents.findByCreatedByAndCreatedAtLessThanEqualAndDeletedAtIsNull("window-owner",
                last.getCreatedAt(), ScrollPosition.forward(Map.of("createdAt", last.getCreatedAt(), "id", last.getId())),
                AgentListing.NEWEST_FIRST, Limit.of(3));
        assertThat(next.getContent()).extracting(AgentSummary::getId).containsExactly("win-0", "win-1");
        assertThat(next.hasNext()).isFalse();
    }

    @Test
    void numberedPagesStartFromTheIndexAndTotalsCountUpToTheirBound() {
        Instant base = Instant.parse("2031-01-01T00:00:00Z");
        for (int i = 0; i < 4; i++) {
            agents.save(new BrowserAgent("key-" + i, BrowserChannel.CHROMIUM, true, "{}", "key-owner", null, 1280, 720,
                    base.plusSeconds(i)));
        }
        agents.flush();
        AgentListing.Filter owner = new AgentListing.Filter("key-owner", null);

        assertThat(agents.keyAt(owner, 1)).contains(new ListCursor(base.plusSeconds(2), "key-2"));
        assertThat(agents.keyAt(owner, 4)).isEmpty();
        assertThat(agents.countUpTo(owner, 10)).isEqualTo(4);
        assertThat(agents.countUpTo(owner, 3)).isEqualTo(3);
        assertThat(agents.countUpTo(new AgentListing.Filter("key-owner", AgentStatus.RUNNING), 10)).isZero();
        assertThat(agents.estimate(owner)).as("the planner never estimates fewer than one row").isPositive();
    }
}
