package dev.agentapi.agent;

import java.util.Optional;

/**
 * The list queries Spring Data cannot derive, a fragment of {@link BrowserAgentRepository}: where a numbered
 * page starts, read from the list's index alone, and totals that never count a million rows (PostgreSQL's
 * planner estimate beyond a bound). Pages themselves are keyset windows derived by Spring Data.
 */
interface AgentListQueries {

    /** The list key (created_at, id) of the agent at {@code offset} in the filter's order, if there is one. */
    Optional<ListCursor> keyAt(AgentListing.Filter filter, long offset);

    /** How many agents the filter matches, counting no further than {@code limit}. */
    long countUpTo(AgentListing.Filter filter, long limit);

    /** PostgreSQL's planner estimate of the agents the filter matches (V8's {@code browser_agents_count_estimate}). */
    long estimate(AgentListing.Filter filter);
}
