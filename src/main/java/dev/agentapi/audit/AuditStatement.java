package dev.agentapi.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit entry as an {@code INSERT} for the statement that makes the change it records: placed in a data-modifying
 * {@code WITH} beside the change ({@code WITH changed AS (UPDATE ... RETURNING *), audited AS (<sql>) SELECT * FROM
 * changed}), it is written by PostgreSQL together with the change or not at all, in one round trip and one commit. Its
 * parameters are named {@code audit_*}; {@link AuditTrail#outcomeStatement} makes one.
 */
public record AuditStatement(String sql, Map<String, Object> parameters) {

    public AuditStatement {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // Map.copyOf refuses the null values
    }
}
