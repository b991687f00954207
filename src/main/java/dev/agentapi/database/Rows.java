package dev.agentapi.database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants to and from {@code TIMESTAMPTZ} columns, whatever the JVM's time zone. */
public final class Rows {

    private Rows() {
    }

    /** A {@code TIMESTAMPTZ} column's instant, or null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** An instant as a {@code TIMESTAMPTZ} parameter (the driver takes no {@link Instant}), or null. */
    public static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
