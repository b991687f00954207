package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentapi.browser.BrowserChannel;
import dev.agentapi.support.IntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The agent's row as the repository writes it: what is stored reads back, and no write overwrites a version it did not read. */
@IntegrationTest
class BrowserAgentRepositoryTest {

    @Autowired
    BrowserAgentRepository agents;
    @Autowired
    JdbcTemplate jdbc;

    private static BrowserAgent newAgent(String id, Instant now) {
        return new BrowserAgent(id, BrowserChannel.CHROME, false, "{\"locale\": \"de-DE\"}", "repo-owner", "UA/1", 800, 600, now);
    }

    private Map<String, Object> row(String id) {
        return jdbc.queryForMap("SELECT version, config::text AS config, updated_at FROM browser_agents WHERE id = ?", id);
    }

    @Test
    void aNewAgentIsStoredAtVersionZeroAndReadsBackAsWritten() {
        String id = "repo-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        BrowserAgent agent = newAgent(id, now);

        agents.save(agent);

        assertThat(agent.getVersion()).isZero();
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
        assertThat(read.changed()).isFalse();
        assertThat(agents.findByIdAndCreatedByAndDeletedAtIsNull(id, "someone-else")).isEmpty();
        assertThat(agents.existsById(id)).isTrue();
    }

    @Test
    void anUnchangedAgentIsNotWrittenAgain() {
        String id = "repo-" + UUID.randomUUID();
        agents.save(newAgent(id, Instant.now().truncatedTo(ChronoUnit.MICROS)));
        BrowserAgent read = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();

        agents.save(read);

        assertThat(read.getVersion()).isZero();
        assertThat(row(id).get("version")).isEqualTo(0L);
    }

    @Test
    void aWriteOverAVersionChangedMeanwhileIsRefusedAndOverwritesNothing() {
        String id = "repo-" + UUID.randomUUID();
        agents.save(newAgent(id, Instant.now().truncatedTo(ChronoUnit.MICROS)));
        BrowserAgent first = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();
        BrowserAgent second = agents.findByIdAndDeletedAtIsNull(id).orElseThrow();

        first.reconfigure("{\"first\": true}", null, null, null, Instant.now());
        agents.save(first);
        second.reconfigure("{\"second\": true}", null, null, null, Instant.now());

        assertThat(first.getVersion()).isOne();
        assertThatThrownBy(() -> agents.save(second)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(second.getVersion()).as("the refused write's version").isZero();
        assertThat(row(id)).containsEntry("version", 1L).containsEntry("config", "{\"first\": true}");
    }
}
