-- What an agent produced last, for MCP's resources (agent://{agent_id}/screenshot, .../pdf): its last screenshot and its
-- last PDF, one row per agent and kind, replaced by the next one. Kept here rather than in a replica's memory so that
-- any replica answers resources/read (MCP's stateless transport sends each request wherever the balancer likes). Each
-- is at most the action's own limit (BROWSER_MAX_IMAGE, BROWSER_MAX_PDF); gone with the agent (its delete removes the
-- rows, and the foreign key for a hard delete).
CREATE TABLE agent_captures (
    agent_id    VARCHAR(255) NOT NULL REFERENCES browser_agents (id) ON DELETE CASCADE,
    kind        VARCHAR(16)  NOT NULL CHECK (kind IN ('screenshot', 'pdf')),
    media_type  VARCHAR(100) NOT NULL,
    data        BYTEA        NOT NULL,
    size_bytes  BIGINT       NOT NULL CHECK (size_bytes >= 0),
    taken_at    TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (agent_id, kind)
);
