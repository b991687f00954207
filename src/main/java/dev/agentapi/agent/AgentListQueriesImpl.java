package dev.agentapi.agent;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.Optional;

/** {@link AgentListQueries} on the V8 indexes; the filter's conditions are written out so the planner picks its index. */
class AgentListQueriesImpl implements AgentListQueries {

    @PersistenceContext
    private EntityManager entities;

    @Override
    public Optional<ListCursor> keyAt(AgentListing.Filter filter, long offset) {
        // only (created_at, id) of the skipped agents are read, from the index, never their rows
        var query = entities.createQuery("SELECT a.createdAt, a.id FROM BrowserAgent a WHERE " + filter.jpql()
                + " ORDER BY a.createdAt DESC, a.id", Object[].class);
        if (filter.owner() != null) {
            query.setParameter("owner", filter.owner());
        }
        if (filter.status() != null) {
            query.setParameter("status", filter.status());
        }
        return query.setFirstResult(Math.toIntExact(offset)).setMaxResults(1).getResultStream().findFirst()
                .map(key -> new ListCursor((Instant) key[0], (String) key[1]));
    }

    @Override
    public long countUpTo(AgentListing.Filter filter, long limit) {
        Query count = entities.createNativeQuery("SELECT count(*) FROM (SELECT 1 FROM browser_agents WHERE "
                + filter.sql() + " LIMIT :limit) AS matches", Long.class);
        if (filter.owner() != null) {
            count.setParameter("owner", filter.owner());
        }
        if (filter.status() != null) {
            count.setParameter("status", filter.status().value());
        }
        count.setParameter("limit", limit);
        return ((Number) count.getSingleResult()).longValue();
    }

    @Override
    public long estimate(AgentListing.Filter filter) {
        Query estimate = entities.createNativeQuery("SELECT browser_agents_count_estimate(:status, :owner)", Long.class);
        estimate.setParameter("status", filter.status() == null ? null : filter.status().value());
        estimate.setParameter("owner", filter.owner());
        Number estimated = (Number) estimate.getSingleResult();
        return estimated == null ? 0 : estimated.longValue();
    }
}
