-- Agents may be hibernated: idle, their browser state saved and their browser released (AGENT_HIBERNATE_AFTER).
ALTER TABLE browser_agents DROP CONSTRAINT browser_agents_status_check;
ALTER TABLE browser_agents ADD CONSTRAINT browser_agents_status_check
    CHECK (status IN ('created', 'starting', 'running', 'stopped', 'error', 'hibernated'));
