package dev.agentapi.audit;

import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the audit trail, newest first. */
@Service
public class AuditSearch {

    private final AuditEntryRepository entries;
    private final JsonMapper json;

    public AuditSearch(AuditEntryRepository entries, JsonMapper json) {
        this.entries = entries;
        this.json = json;
    }

    /** One page; the total is counted unless the page itself shows it (a short page is the last one). */
    @Transactional(readOnly = true)
    public AuditPage find(AuditQuery query) {
        List<AuditEntryView> views = entries.page(query).stream().map(this::view).toList();
        long skipped = (long) query.page() * query.size();
        boolean last = views.size() < query.size() && (!views.isEmpty() || skipped == 0);
        long total = last ? skipped + views.size() : entries.count(query);
        return new AuditPage(views, views.size(), query.page(), query.size(), total);
    }

    private AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.id(), e.eventType(), e.action(), e.resourceType(), e.resourceId(),
                e.userId(), e.userEmail(), e.ipAddress(), e.userAgent(),
                tree(e.details()), tree(e.oldValue()), tree(e.newValue()),
                e.success(), e.errorMessage(), e.timestamp());
    }

    private JsonNode tree(String value) {
        return value == null ? null : json.readTree(value);
    }
}
