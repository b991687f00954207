package dev.agentapi.audit;

import dev.agentapi.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One row of the append-only audit trail; {@code id} is null until the database numbers it. The JSON
 * values are stored as JSON text. Never changed here, and refused UPDATE/DELETE by the database.
 */
record AuditEntry(Long id, String eventType, AuditAction action, String resourceType, String resourceId,
                  String userId, String userEmail, String ipAddress, String userAgent,
                  String details, String oldValue, String newValue,
                  boolean success, String errorMessage, Instant timestamp) {

    /** The entry a {@code SELECT *} row of {@code audit_logs} holds. */
    static AuditEntry read(ResultSet row, int number) throws SQLException {
        return new AuditEntry(row.getLong("id"), row.getString("event_type"), AuditAction.valueOf(row.getString("action")),
                row.getString("resource_type"), row.getString("resource_id"), row.getString("user_id"),
                row.getString("user_email"), row.getString("ip_address"), row.getString("user_agent"),
                row.getString("details"), row.getString("old_value"), row.getString("new_value"),
                row.getBoolean("success"), row.getString("error_message"), Rows.instant(row, "timestamp"));
    }
}
