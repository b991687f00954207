package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The leases this replica renews are the ones it took in committed transactions: a heartbeat that runs while a
 * launch's transaction is still open must not count that launch's new lease as lost (and close its browser), nor
 * may a rolled-back take leave a lease to renew.
 */
@IntegrationTest
class AgentLeasesTest {

    @LocalServerPort
    int port;
    @Autowired
    AgentLeases leases;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcTemplate jdbc;

    TransactionTemplate transaction;
    ExecutorService heartbeat;
    String agentId;

    @BeforeEach
    void anAgentWithoutALease() {
        transaction = new TransactionTemplate(transactions);
        heartbeat = Executors.newSingleThreadExecutor();
        agentId = "lease-" + UUID.randomUUID();
        assertThat(new Api(port).post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
        // as before the agent's first launch: no lease row, nothing held here
        transaction.executeWithoutResult(status -> leases.release(agentId));
        assertThat(leaseRows()).isZero();
    }

    @AfterEach
    void stopHeartbeat() {
        heartbeat.shutdownNow();
    }

    @Test
    void aRenewalWhileTheTakingTransactionIsOpenDoesNotLoseTheNewLease() {
        Set<String> lostMeanwhile = transaction.execute(status -> {
            leases.take(agentId);
            try {
                // the heartbeat's renewal on its own connection, which cannot see the uncommitted lease yet
                return heartbeat.submit(leases::renew).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(lostMeanwhile).as("lost while the take was uncommitted").doesNotContain(agentId);
        assertThat(leases.held()).contains(agentId);
        assertThat(leases.renew()).as("lost after commit").doesNotContain(agentId);
        assertThat(leaseRows()).isOne();
    }

    @Test
    void aTakeThatRollsBackLeavesNothingHeld() {
        transaction.executeWithoutResult(status -> {
            leases.take(agentId);
            status.setRollbackOnly();
        });

        assertThat(leases.held()).doesNotContain(agentId);
        assertThat(leaseRows()).isZero();
    }

    private long leaseRows() {
        return jdbc.queryForObject("SELECT count(*) FROM agent_leases WHERE agent_id = ?", Long.class, agentId);
    }
}
