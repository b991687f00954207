package dev.agentapi.database;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One DataSource, from {@code DATABASE_URL} when set (production), otherwise from an embedded
 * PostgreSQL started in-process (local mode). Pool settings still come from
 * {@code spring.datasource.hikari.*}.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    static final String EXTERNAL = "T(org.springframework.util.StringUtils).hasText('${agent-api.database.url:}')";

    @Bean
    @ConditionalOnExpression(EXTERNAL)
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DatabaseProperties properties) {
        DatabaseUrl url = DatabaseUrl.parse(properties.url());
        log.info("Using PostgreSQL at {}", url.redacted());
        return hikari(url);
    }

    @Bean
    DatabaseMode databaseMode(DatabaseProperties properties) {
        return properties.external() ? DatabaseMode.POSTGRESQL : DatabaseMode.EMBEDDED;
    }

    static HikariDataSource hikari(DatabaseUrl url) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url.jdbcUrl());
        ds.setUsername(url.username());
        ds.setPassword(url.password());
        return ds;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres")
    @ConditionalOnExpression("!" + EXTERNAL)
    static class Embedded {

        @Bean(destroyMethod = "close")
        EmbeddedDatabase embeddedDatabase(DatabaseProperties properties) throws IOException {
            Path dataDir = Path.of(properties.embedded().dataDir()).toAbsolutePath();
            Files.createDirectories(dataDir);
            return EmbeddedDatabase.start(dataDir, properties.embedded().port());
        }

        @Bean
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource dataSource(EmbeddedDatabase database) {
            return hikari(database.url());
        }
    }

    /** A production build carries no embedded database: without DATABASE_URL it cannot start, and says why. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.zonky.test.db.postgres.embedded.EmbeddedPostgres")
    @ConditionalOnExpression("!" + EXTERNAL)
    static class NoDatabase {

        @Bean
        HikariDataSource dataSource() {
            throw new IllegalStateException("DATABASE_URL is not set, and this build has no embedded PostgreSQL "
                    + "(it is for local runs with ./mvnw spring-boot:run). Set DATABASE_URL=postgresql://user:pass@host:5432/db");
        }
    }
}
