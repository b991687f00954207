package dev.agentapi.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests, made on the PostgreSQL that {@link TestServices} chose (127.0.0.1:5432 here;
 * {@code TEST_POSTGRES_URL}, or a container where Docker runs). Every test run, and every context that asks for its own,
 * gets a fresh database, dropped when the JVM exits, so runs never see each other's rows.
 */
public final class TestDatabase {

    private static final String ADMIN_URL = TestServices.POSTGRES_ADMIN_URL;
    private static volatile String shared;

    private TestDatabase() {
    }

    /** The database shared by the contexts of this test run. */
    public static synchronized String shared() {
        if (shared == null) {
            shared = create();
        }
        return shared;
    }

    /** A new database; its {@code postgresql://} URL, as {@code DATABASE_URL} would carry it. */
    public static String create() {
        String name = "agent_api_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException ignored) {
                // best effort: the server may already be gone
            }
        }));
        return urlOf(name);
    }

    /** The database name in a URL made by {@link #create()}. */
    public static String nameOf(String url) {
        int query = url.indexOf('?');
        return url.substring(url.lastIndexOf('/') + 1, query < 0 ? url.length() : query);
    }

    public static String urlOf(String name) {
        String base = ADMIN_URL.substring("jdbc:".length());
        int query = base.indexOf('?');
        String params = query < 0 ? "" : base.substring(query);
        String hostPart = base.substring(0, base.lastIndexOf('/', query < 0 ? base.length() : query));
        return hostPart + "/" + name + params;
    }

    public static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL: " + e.getMessage(), e);
        }
    }

    public static boolean reachable() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
