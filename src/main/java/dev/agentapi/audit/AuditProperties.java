package dev.agentapi.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code maxValueSize}: the most one JSON value of an audit entry ({@code details}, {@code old_value},
 * {@code new_value}) may take. Audit rows are kept forever, so a larger value is stored as a marker
 * with its size, its SHA-256 and a preview instead. {@code keepUrlQuery}: keep URLs' query strings and fragments
 * (dropped by default, see {@link AuditUrls}).
 */
@ConfigurationProperties(prefix = "agent-api.audit")
public record AuditProperties(@DefaultValue("16KB") DataSize maxValueSize, @DefaultValue("false") boolean keepUrlQuery) {
}
