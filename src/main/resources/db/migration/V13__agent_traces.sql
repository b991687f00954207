-- Recordings: the last Playwright trace (a zip for Playwright's trace viewer) of each agent, stored when its
-- recording stops. One row per agent (a new recording replaces the last); gone with the agent (its delete removes the
-- row, and the foreign key for a hard delete) and after expires_at (a scheduled cleanup, and never served after).
CREATE TABLE agent_traces (
    agent_id    VARCHAR(255) PRIMARY KEY REFERENCES browser_agents (id) ON DELETE CASCADE,
    data        BYTEA        NOT NULL,
    size_bytes  BIGINT       NOT NULL CHECK (size_bytes >= 0),
    started_at  TIMESTAMPTZ  NOT NULL,
    stopped_at  TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX agent_traces_expires_at ON agent_traces (expires_at);
