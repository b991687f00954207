package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
