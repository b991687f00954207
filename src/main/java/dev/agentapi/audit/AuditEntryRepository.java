package dev.agentapi.audit;

import static dev.agentapi.database.Rows.at;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Append and query only: nothing here updates or deletes, and the database refuses both. */
@Repository
class AuditEntryRepository {

    private final JdbcClient jdbc;

    AuditEntryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void save(AuditEntry entry) {
        Map<String, Object> values = new HashMap<>();
        values.put("eventType", entry.eventType());
        values.put("action", entry.action().name());
        values.put("resourceType", entry.resourceType());
        values.put("resourceId", entry.resourceId());
        values.put("userId", entry.userId());
        values.put("userEmail", entry.userEmail());
        values.put("ipAddress", entry.ipAddress());
        values.put("userAgent", entry.userAgent());
        values.put("details", entry.details());
        values.put("oldValue", entry.oldValue());
        values.put("newValue", entry.newValue());
        values.put("success", entry.success());
        values.put("errorMessage", entry.errorMessage());
        values.put("timestamp", at(entry.timestamp()));
        jdbc.sql("""
                        INSERT INTO audit_logs (event_type, action, resource_type, resource_id, user_id, user_email,
                            ip_address, user_agent, details, old_value, new_value, success, error_message, "timestamp")
                        VALUES (:eventType, :action, :resourceType, :resourceId, :userId, :userEmail, :ipAddress,
                            :userAgent, CAST(:details AS jsonb), CAST(:oldValue AS jsonb), CAST(:newValue AS jsonb),
                            :success, :errorMessage, :timestamp)""")
                .params(values).update();
    }

    /** The query's page of entries, newest first (the later id first among equal times). */
    List<AuditEntry> page(AuditQuery query) {
        Filter filter = Filter.of(query);
        return jdbc.sql("SELECT * FROM audit_logs" + filter.where() + " ORDER BY \"timestamp\" DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(filter.values()).param("limit", query.size()).param("offset", (long) query.page() * query.size())
                .query(AuditEntry::read).list();
    }

    /** How many entries match the query's filters. */
    long count(AuditQuery query) {
        Filter filter = Filter.of(query);
        return jdbc.sql("SELECT count(*) FROM audit_logs" + filter.where()).params(filter.values()).query(Long.class).single();
    }

    /** The query's filters as a WHERE clause (empty without filters) and its parameters. */
    private record Filter(List<String> conditions, Map<String, Object> values) {

        static Filter of(AuditQuery query) {
            Filter filter = new Filter(new ArrayList<>(), new HashMap<>());
            filter.add("resource_type = :resourceType", "resourceType", query.resourceType());
            filter.add("resource_id = :resourceId", "resourceId", query.resourceId());
            filter.add("event_type = :eventType", "eventType", query.eventType());
            filter.add("user_id = :userId", "userId", query.userId());
            filter.add("\"timestamp\" >= :from", "from", at(query.from()));
            filter.add("\"timestamp\" < :to", "to", at(query.to()));
            return filter;
        }

        private void add(String condition, String name, Object value) {
            if (value != null) {
                conditions.add(condition);
                values.put(name, value);
            }
        }

        String where() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }
}
