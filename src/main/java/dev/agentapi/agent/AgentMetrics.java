package dev.agentapi.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code active_agents}: agents whose browser is starting or running, as Prometheus and App Insights
 * see it. The database is counted on a schedule, never by a scrape: however often (or however many
 * times at once) the endpoint is scraped, it costs no query, and an outage shows the last count.
 */
@Component
@EnableScheduling
class AgentMetrics {

    private static final Logger log = LoggerFactory.getLogger(AgentMetrics.class);
    /** No count yet (first refresh pending or failed): Prometheus shows NaN, not a made-up 0. */
    private static final long UNKNOWN = -1;

    private final JdbcTemplate jdbc;
    private final AtomicLong active = new AtomicLong(UNKNOWN);

    AgentMetrics(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("active_agents", active, value -> value.get() == UNKNOWN ? Double.NaN : value.get())
                .description("Agents whose browser is starting or running (counted every 15 s)")
                .register(meters);
    }

    /** As often as a typical scrape interval; a scrape between two counts reads the last one. */
    @Scheduled(fixedDelay = 15_000)
    void refresh() {
        try {
            // plain JDBC, not the repository: a periodic count is not a query any request made (tests
            // counting Hibernate's statements around a request never see it)
            Long count = jdbc.queryForObject("SELECT count(*) FROM browser_agents WHERE status IN ('starting', 'running') "
                    + "AND deleted_at IS NULL", Long.class);
            active.set(count == null ? UNKNOWN : count);
        } catch (RuntimeException databaseDown) {
            log.debug("active_agents not refreshed: {}", databaseDown.getClass().getSimpleName());
        }
    }
}
