package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DatabaseUrlTest {

    @Test
    void parsesPostgresqlUrlWithCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:s3cr%40t@db.example:6543/agents");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/agents");
        assertThat(url.username()).isEqualTo("alice");
        assertThat(url.password()).isEqualTo("s3cr@t");
    }

    @Test
    void acceptsDriverSuffixAndPostgresSchemeAndDefaultPort() {
        assertThat(DatabaseUrl.parse("postgresql+asyncpg://u:p@h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(DatabaseUrl.parse("postgres://u@h:1/db").username()).isEqualTo("u");
    }

    @Test
    void keepsQueryParametersSuchAsSslMode() {
        assertThat(DatabaseUrl.parse("postgresql://u:p@h:5432/db?sslmode=require").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require");
    }

    @Test
    void passesJdbcUrlsThrough() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=x&password=y");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?user=x&password=y");
        assertThat(url.username()).isNull();
    }

    @Test
    void refusesOtherDatabasesAndNonsense() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/db")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseUrl.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(DatabaseUrl.parse("postgresql://u:hunter2@h/db").toString()).doesNotContain("hunter2");
    }

    static final List<String> URLS_WITH_PASSWORDS = List.of(
            "jdbc:postgresql://h:5432/db?user=x&password=hunter2",
            "jdbc:postgresql://h:5432/db?PASSWORD=hunter2&sslmode=require",
            "jdbc:postgresql://h:5432/db?sslmode=verify-full&sslpassword=hunter2&user=x",
            "jdbc:postgresql://x:hunter2@h:5432/db",
            "postgresql://u:p@h:5432/db?password=hunter2&sslmode=require");

    @Test
    void redactedUrlHidesEveryPasswordAndKeepsTheRest() {
        for (String value : URLS_WITH_PASSWORDS) {
            DatabaseUrl url = DatabaseUrl.parse(value);

            assertThat(url.redacted()).as(value).doesNotContain("hunter2").contains("h:5432/db").contains("***");
            assertThat(url.toString()).as(value).doesNotContain("hunter2");
        }
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=x&password=hunter2&sslmode=require").redacted())
                .isEqualTo("jdbc:postgresql://h:5432/db?user=x&password=***&sslmode=require");
        assertThat(DatabaseUrl.parse("postgresql://u:p@h:5432/db?sslmode=require").redacted())
                .isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require");
    }

    @Test
    void startupLogNeverContainsThePassword() {
        Logger logger = (Logger) LoggerFactory.getLogger(DatabaseConfiguration.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            for (String value : URLS_WITH_PASSWORDS) {
                try (HikariDataSource ignored = new DatabaseConfiguration().dataSource(new DatabaseProperties(value, null, null))) {
                    // created only for what it logs; it never connects
                }
            }
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).hasSize(URLS_WITH_PASSWORDS.size());
        assertThat(appender.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .contains("h:5432/db").doesNotContain("hunter2"));
    }
}
