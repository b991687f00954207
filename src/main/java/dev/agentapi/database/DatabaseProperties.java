package dev.agentapi.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the service keeps its data. An empty {@code url} selects local mode: an embedded,
 * real PostgreSQL whose files live in {@code embedded.data-dir} and survive restarts.
 */
@ConfigurationProperties(prefix = "agent-api.database")
public record DatabaseProperties(String url, @DefaultValue Embedded embedded) {

    public record Embedded(@DefaultValue(".data/postgres") String dataDir, @DefaultValue("0") int port) {
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
