package dev.agentapi.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real PostgreSQL server run by the service itself in local mode, data kept on disk. */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Local mode: embedded PostgreSQL on port {} with data in {} (set DATABASE_URL to use your own)",
                postgres.getPort(), dataDir);
        return new EmbeddedDatabase(postgres);
    }

    DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
