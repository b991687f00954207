package dev.agentapi.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.stereotype.Component;

/**
 * Reads one page of live agents, newest first (id breaks ties), by seeking in the V8 index that matches
 * the filter: the first page and a cursor's page are Spring Data keyset windows reading {@code size + 1}
 * index entries whatever the table size. A {@code page} number (the seed's paging) first finds where its
 * page starts by walking the index alone (no rows read), then seeks from there. Must run inside a transaction.
 */
@Component
class AgentListing {

    /** Up to this many matches the total is counted exactly; beyond, it is PostgreSQL's estimate. */
    static final int EXACT_TOTAL_UP_TO = 1_000;

    /** The order of the V8 list indexes. */
    static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id"));

    /** The first page's bound on created_at: later than any agent's. */
    private static final Instant NO_BOUND = Instant.parse("9999-12-31T00:00:00Z");

    private final BrowserAgentRepository agents;

    AgentListing(BrowserAgentRepository agents) {
        this.agents = agents;
    }

    /** The filter of one list: an owner (null: everyone's, for an admin) and a status (null: any). */
    record Filter(String owner, AgentStatus status) {

        /** Its conditions in JPQL, on alias {@code a}. */
        String jpql() {
            return "a.deletedAt IS NULL" + (owner == null ? "" : " AND a.createdBy = :owner")
                    + (status == null ? "" : " AND a.status = :status");
        }

        /** Its conditions in SQL, on {@code browser_agents}. */
        String sql() {
            return "deleted_at IS NULL" + (owner == null ? "" : " AND created_by = :owner")
                    + (status == null ? "" : " AND status = :status");
        }
    }

    /** A page and whether more follow; {@code next} is the cursor of the page after it, or null. */
    record Page(List<AgentSummary> agents, ListCursor next) {
    }

    /** A total and whether it was counted (true) or estimated (false). */
    record Total(long value, boolean exact) {
    }

    /** The page that starts after {@code cursor} (null: the first page). */
    Page after(Filter filter, ListCursor cursor, int size) {
        Window<AgentSummary> window = window(filter, cursor, Limit.of(size));
        List<AgentSummary> page = window.getContent();
        return new Page(page, window.hasNext() ? ListCursor.after(page.get(page.size() - 1)) : null);
    }

    /**
     * Spring Data's keyset scrolling after {@code cursor}. Its keyset condition is an OR, which PostgreSQL
     * cannot seek with; the derived queries also bound created_at by the cursor's, which it seeks to.
     */
    private Window<AgentSummary> window(Filter filter, ListCursor cursor, Limit limit) {
        ScrollPosition position = cursor == null ? ScrollPosition.keyset()
                : ScrollPosition.forward(Map.of("createdAt", cursor.createdAt(), "id", cursor.id()));
        Instant notAfter = cursor == null ? NO_BOUND : cursor.createdAt();
        if (filter.owner() == null) {
            return filter.status() == null
                    ? agents.findByCreatedAtLessThanEqualAndDeletedAtIsNull(notAfter, position, NEWEST_FIRST, limit)
                    : agents.findByStatusAndCreatedAtLessThanEqualAndDeletedAtIsNull(filter.status(), notAfter, position,
                            NEWEST_FIRST, limit);
        }
        return filter.status() == null
                ? agents.findByCreatedByAndCreatedAtLessThanEqualAndDeletedAtIsNull(filter.owner(), notAfter, position,
                        NEWEST_FIRST, limit)
                : agents.findByCreatedByAndStatusAndCreatedAtLessThanEqualAndDeletedAtIsNull(filter.owner(), filter.status(),
                        notAfter, position, NEWEST_FIRST, limit);
    }

    /** The {@code page}-th page of {@code size} agents (offset paging): the page after the previous page's last agent. */
    Page numbered(Filter filter, int page, int size) {
        if (page == 0) {
            return after(filter, null, size);
        }
        return agents.keyAt(filter, (long) page * size - 1)
                .map(previousLast -> after(filter, previousLast, size))
                .orElseGet(() -> new Page(List.of(), null));
    }

    /**
     * The number of agents the filter matches: counted while there are at most {@link #EXACT_TOTAL_UP_TO}
     * (the count stops there, so it never reads more), PostgreSQL's planner estimate beyond (never below
     * what is known to exist). {@code exact} counts every match, however many.
     */
    Total total(Filter filter, boolean exact) {
        long counted = agents.countUpTo(filter, exact ? Long.MAX_VALUE : EXACT_TOTAL_UP_TO + 1);
        if (exact || counted <= EXACT_TOTAL_UP_TO) {
            return new Total(counted, true);
        }
        return new Total(Math.max(counted, agents.estimate(filter)), false);
    }
}
