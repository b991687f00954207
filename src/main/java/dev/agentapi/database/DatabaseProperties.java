package dev.agentapi.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the service keeps its data. An empty {@code url} selects local mode: an embedded,
 * real PostgreSQL whose files live in {@code embedded.data-dir} and survive restarts.
 * {@code migrationUrl}, when set, is the schema owner Flyway migrates as, so that {@code url}'s
 * role can be one that may only insert and read audit rows (see {@code MigrationConfiguration}).
 */
@ConfigurationProperties(prefix = "agent-api.database")
public record DatabaseProperties(String url, String migrationUrl, @DefaultValue Embedded embedded) {

    public record Embedded(@DefaultValue(".data/postgres") String dataDir, @DefaultValue("0") int port) {
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
