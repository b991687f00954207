package dev.agentapi.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who migrates the schema. With {@code DATABASE_MIGRATION_URL} set, Flyway connects as that role (the
 * owner of every table), and the migrations grant the service's own role ({@code DATABASE_URL}) only
 * what it needs: on {@code audit_logs} just INSERT and SELECT, so neither the service nor anyone
 * holding its credentials can rewrite history, disable the triggers or drop the table. Without it
 * (local mode, simple setups) the service's role migrates and owns the schema, as before.
 */
@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MigrationConfiguration.class);
    /** The placeholder the grant migration reads; empty means "one role does everything", and it grants nothing. */
    static final String RUNTIME_ROLE = "runtime_role";

    @Bean
    FlywayConfigurationCustomizer migrationRole(DatabaseProperties properties, DataSource runtime) {
        return configuration -> {
            Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
            placeholders.put(RUNTIME_ROLE, "");
            if (properties.migrationUrl() != null && !properties.migrationUrl().isBlank()) {
                DatabaseUrl owner = DatabaseUrl.parse(properties.migrationUrl());
                String role = roleOf(runtime);
                log.info("Migrating as the owner role at {}; the service runs as role {}", owner.redacted(), role);
                configuration.dataSource(owner.jdbcUrl(), owner.username(), owner.password());
                placeholders.put(RUNTIME_ROLE, role);
            }
            configuration.placeholders(placeholders);
        };
    }

    private static String roleOf(DataSource runtime) {
        try (Connection connection = runtime.getConnection()) {
            return connection.getMetaData().getUserName();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect with DATABASE_URL to learn the service's role", e);
        }
    }
}
