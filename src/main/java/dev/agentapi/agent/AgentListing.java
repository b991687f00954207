package dev.agentapi.agent;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads one page of live agents, newest first (id breaks ties), by seeking in the V8 index that matches
 * the filter: the first page and a cursor's page read {@code size + 1} index entries whatever the table
 * size. A {@code page} number (the seed's paging) first finds where its page starts by walking the
 * index alone (no rows read), then seeks from there. Must run inside a transaction.
 */
@Component
class AgentListing {

    /** Up to this many matches the total is counted exactly; beyond, it is PostgreSQL's estimate. */
    static final int EXACT_TOTAL_UP_TO = 1_000;

    @PersistenceContext
    private EntityManager entities;

    /** The filter of one list: an owner (null: everyone's, for an admin) and a status (null: any). */
    record Filter(String owner, AgentStatus status) {

        String where() {
            return "deleted_at IS NULL" + (owner == null ? "" : " AND created_by = :owner")
                    + (status == null ? "" : " AND status = :status");
        }

        Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (owner != null) {
                parameters.put("owner", owner);
            }
            if (status != null) {
                parameters.put("status", status.value());
            }
            return parameters;
        }
    }

    /** A page and whether more follow; {@code next} is the cursor of the page after it, or null. */
    record Page(List<BrowserAgent> agents, ListCursor next) {
    }

    /** A total and whether it was counted (true) or estimated (false). */
    record Total(long value, boolean exact) {
    }

    /** The page that starts after {@code cursor} (null: the first page). */
    Page after(Filter filter, ListCursor cursor, int size) {
        return seek(filter, cursor, false, size);
    }

    /** The {@code page}-th page of {@code size} agents (offset paging). */
    Page numbered(Filter filter, int page, int size) {
        if (page == 0) {
            return seek(filter, null, false, size);
        }
        long offset = (long) page * size;
        // index-only: only (created_at, id) of the skipped agents are read, never their rows
        Query start = entities.createNativeQuery(startSql(filter));
        filter.parameters().forEach(start::setParameter);
        start.setParameter("offset", offset);
        List<?> first = start.getResultList();
        if (first.isEmpty()) {
            return new Page(List.of(), null);
        }
        Object[] key = (Object[]) first.get(0);
        return seek(filter, new ListCursor(instant(key[0]), (String) key[1]), true, size);
    }

    /**
     * The number of agents the filter matches: counted while there are at most {@link #EXACT_TOTAL_UP_TO}
     * (the count stops there, so it never reads more), PostgreSQL's planner estimate beyond (never below
     * what is known to exist). {@code exact} counts every match, however many.
     */
    Total total(Filter filter, boolean exact) {
        String matches = "SELECT 1 FROM browser_agents WHERE " + filter.where();
        Query count = entities.createNativeQuery("SELECT count(*) FROM (" + matches
                + (exact ? "" : " LIMIT " + (EXACT_TOTAL_UP_TO + 1)) + ") AS matches");
        filter.parameters().forEach(count::setParameter);
        long counted = ((Number) count.getSingleResult()).longValue();
        if (exact || counted <= EXACT_TOTAL_UP_TO) {
            return new Total(counted, true);
        }
        Query estimate = entities.createNativeQuery("SELECT browser_agents_count_estimate(:status, :owner)");
        estimate.setParameter("status", filter.status() == null ? null : filter.status().value());
        estimate.setParameter("owner", filter.owner());
        Number estimated = (Number) estimate.getSingleResult();
        return new Total(Math.max(counted, estimated == null ? 0 : estimated.longValue()), false);
    }

    private Page seek(Filter filter, ListCursor from, boolean inclusive, int size) {
        Query query = entities.createNativeQuery(seekSql(filter, from != null, inclusive), BrowserAgent.class);
        filter.parameters().forEach(query::setParameter);
        if (from != null) {
            query.setParameter("at", OffsetDateTime.ofInstant(from.createdAt(), ZoneOffset.UTC));
            query.setParameter("id", from.id());
        }
        query.setParameter("limit", size + 1);
        @SuppressWarnings("unchecked")
        List<BrowserAgent> found = query.getResultList();
        if (found.size() <= size) {
            return new Page(found, null);
        }
        List<BrowserAgent> page = found.subList(0, size);
        return new Page(page, ListCursor.after(page.get(size - 1)));
    }

    /** Where page {@code :offset} starts: (created_at, id) of its first agent, read from the index alone. */
    static String startSql(Filter filter) {
        return "SELECT created_at, id FROM browser_agents WHERE " + filter.where()
                + " ORDER BY created_at DESC, id OFFSET :offset LIMIT 1";
    }

    /** Up to {@code :limit} agents from the key (:at, :id) on, or from the start. */
    static String seekSql(Filter filter, boolean fromKey, boolean inclusive) {
        String where = filter.where();
        if (fromKey) {
            // newest first, id ascending among equal times: strictly after (or at) the key
            where += " AND created_at <= :at AND (created_at < :at OR id " + (inclusive ? ">=" : ">") + " :id)";
        }
        return "SELECT * FROM browser_agents WHERE " + where + " ORDER BY created_at DESC, id LIMIT :limit";
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("created_at read as " + value.getClass().getName());
    }
}
