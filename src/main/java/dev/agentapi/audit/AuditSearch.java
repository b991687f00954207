package dev.agentapi.audit;

import jakarta.persistence.criteria.Predicate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
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

    @Transactional(readOnly = true)
    public AuditPage find(AuditQuery query) {
        PageRequest pageRequest = PageRequest.of(query.page(), query.size(),
                Sort.by(Sort.Order.desc("timestamp"), Sort.Order.desc("id")));
        Page<AuditEntry> page = entries.findAll(matching(query), pageRequest);
        List<AuditEntryView> views = page.getContent().stream().map(this::view).toList();
        return new AuditPage(views, views.size(), query.page(), query.size(), page.getTotalElements());
    }

    private static Specification<AuditEntry> matching(AuditQuery query) {
        return (root, cq, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (query.resourceType() != null) where.add(cb.equal(root.get("resourceType"), query.resourceType()));
            if (query.resourceId() != null) where.add(cb.equal(root.get("resourceId"), query.resourceId()));
            if (query.eventType() != null) where.add(cb.equal(root.get("eventType"), query.eventType()));
            if (query.userId() != null) where.add(cb.equal(root.get("userId"), query.userId()));
            if (query.from() != null) where.add(cb.greaterThanOrEqualTo(root.get("timestamp"), query.from()));
            if (query.to() != null) where.add(cb.lessThan(root.get("timestamp"), query.to()));
            return cb.and(where.toArray(Predicate[]::new));
        };
    }

    private AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.getId(), e.getEventType(), e.getAction(), e.getResourceType(), e.getResourceId(),
                e.getUserId(), e.getUserEmail(), e.getIpAddress(), e.getUserAgent(),
                tree(e.getDetails()), tree(e.getOldValue()), tree(e.getNewValue()),
                e.isSuccess(), e.getErrorMessage(), e.getTimestamp());
    }

    private JsonNode tree(String value) {
        return value == null ? null : json.readTree(value);
    }
}
