package dev.agentapi.agent;

import dev.agentapi.audit.AuditStatement;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jakarta.persistence.Query;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * {@link AgentActionCounts} as one data-modifying {@code WITH}: PostgreSQL runs the counter update and the audit insert
 * as one statement, atomic without a transaction around them.
 */
class AgentActionCountsImpl implements AgentActionCounts {

    @PersistenceContext
    private EntityManager entities;

    @Override
    public Optional<BrowserAgent> countAction(String id, int errors, Instant now, AuditStatement entry, AgentCaptureStore.Capture capture) {
        // the capture's row is written from the counted agent's: the agent's row is locked first, as a delete locks them
        Query query = entities.createNativeQuery("WITH counted AS (UPDATE browser_agents SET total_actions = total_actions + 1, "
                        + "total_errors = total_errors + :errors, last_action_at = :now, updated_at = :now, version = version + 1 "
                        + "WHERE id = :id AND deleted_at IS NULL RETURNING *), "
                        + "audited AS (" + entry.sql() + ")"
                        + (capture == null ? "" : ", kept AS (" + AgentCaptureStore.KEEP_COUNTED + ")")
                        + " SELECT * FROM counted", BrowserAgent.class)
                .setParameter("id", id).setParameter("errors", errors).setParameter("now", now);
        if (capture != null) {
            query.setParameter("capture_kind", capture.kind()).setParameter("capture_type", capture.mediaType())
                    .setParameter("capture_data", capture.data()).setParameter("capture_size", (long) capture.data().length);
        }
        for (Map.Entry<String, Object> parameter : entry.parameters().entrySet()) {
            if (parameter.getValue() == null) {
                // typed as text, so PostgreSQL knows the type of a null it casts (a JSON value) or inserts
                query.setParameter(parameter.getKey(), new TypedParameterValue<>(StandardBasicTypes.STRING, null));
            } else {
                query.setParameter(parameter.getKey(), parameter.getValue());
            }
        }
        return query.getResultList().stream().findFirst().map(BrowserAgent.class::cast);
    }
}
