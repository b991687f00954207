-- Agent lists seek instead of sort: each list the API serves (everyone's for an admin, one owner's
-- for a user, either narrowed to one status) has an index in exactly its order (newest first, id as
-- the tie-break) over live agents only. The first page, a cursor's next page and a filtered page read
-- size + 1 index entries at any table size; a deep `page` (OFFSET) walks the index without touching
-- rows (an index-only scan of (created_at, id)) to find where its page starts, then seeks from there.
-- The single-column status and created_at indexes are prefixes of these and go.
CREATE INDEX ix_browser_agents_list ON browser_agents (created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX ix_browser_agents_list_status ON browser_agents (status, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX ix_browser_agents_list_owner ON browser_agents (created_by, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX ix_browser_agents_list_owner_status ON browser_agents (created_by, status, created_at DESC, id)
    WHERE deleted_at IS NULL;
DROP INDEX ix_browser_agents_status;
DROP INDEX ix_browser_agents_created_at;

-- A list's total without counting a million rows: the planner's estimate of the live agents that
-- match (PostgreSQL's statistics, kept by autovacuum/ANALYZE). format('%L') quotes the values, so
-- nothing a caller sends becomes SQL. The service counts exactly while there are few matches and
-- asks this function only beyond that (see agent/AgentListing).
CREATE FUNCTION browser_agents_count_estimate(filter_status text, filter_owner text) RETURNS bigint
    LANGUAGE plpgsql AS -- volatile: PostgreSQL runs EXPLAIN only in volatile functions
$$
DECLARE
    plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM browser_agents WHERE deleted_at IS NULL%s%s',
                   CASE WHEN filter_status IS NULL THEN '' ELSE format(' AND status = %L', filter_status) END,
                   CASE WHEN filter_owner IS NULL THEN '' ELSE format(' AND created_by = %L', filter_owner) END)
        INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;
