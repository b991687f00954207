package dev.agentapi.health;

import dev.agentapi.database.DatabaseMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Does the database answer? Decides readiness. One {@code SELECT 1}, bounded and cached, however
 * many probes ask.
 */
@Component("database")
public class DatabaseHealth implements HealthIndicator, ComponentHealth {

    private final Supplier<Health> cached;
    private final DatabaseMode mode;

    public DatabaseHealth(JdbcTemplate jdbc, DatabaseMode mode, HealthChecks checks, HealthProperties properties) {
        this.mode = mode;
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

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Map<String, Object> check() {
        Health health = health();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", health.getStatus().equals(org.springframework.boot.health.contributor.Status.UP) ? HEALTHY : UNHEALTHY);
        report.put("mode", mode.label());
        return report;
    }

    public boolean isUp() {
        return "healthy".equals(check().get("status"));
    }
}
