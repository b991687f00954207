package dev.agentapi.audit;

import java.util.List;

/** One page of audit entries, newest first. */
public record AuditPage(List<AuditEntryView> entries, int count, int page, int size, long total) {
}
