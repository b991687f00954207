package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class ConcurrentCreateTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void concurrentCreatesOfOneIdGiveOne201AndOnly409s() throws Exception {
        Api api = new Api(port);
        String id = "race-" + UUID.randomUUID();
        int clients = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();

        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from browser_agents where id = ?", Long.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_logs where resource_id = ? and success", Long.class, id))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_logs where resource_id = ? and not success", Long.class, id))
                .isEqualTo(clients - 1);
    }
}
