-- Real browsers: why an agent is in its status (idle_timeout, service_restart, a launch error, ...)
-- and which browser actually runs when the requested channel is not installed.
ALTER TABLE browser_agents
    ADD COLUMN status_reason     TEXT,
    ADD COLUMN effective_channel VARCHAR(16) CHECK (effective_channel IN ('msedge', 'chrome', 'chromium'));
