package dev.agentapi.database;

import dev.agentapi.health.HealthChecks;
import dev.agentapi.health.HealthProperties;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Does the database answer? Decides readiness (the {@code readiness} group includes it). One
 * {@code SELECT 1}, bounded and cached, however many probes ask.
 */
@Component("database")
class DatabaseHealth implements HealthIndicator {

    private final Supplier<Health> cached;

    DatabaseHealth(JdbcTemplate jdbc, DatabaseMode mode, HealthChecks checks, HealthProperties properties) {
        JdbcTemplate bounded = new JdbcTemplate(jdbc.getDataSource());
        bounded.setQueryTimeout((int) Math.max(1, properties.timeout().toSeconds()));
        this.cached = checks.cached("database", () -> {
            bounded.queryForObject("SELECT 1", Integer.class);
            return Health.up().withDetail("mode", mode.label()).build();
        }, failure -> Health.down().withDetail("mode", mode.label())
                .withDetail("error", failure.getClass().getSimpleName()).build());
    }

    @Override
    public Health health() {
        return cached.get();
    }
}
