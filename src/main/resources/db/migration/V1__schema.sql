-- Agent API schema: browser agents, projects, tasks and the append-only audit trail.

CREATE TABLE browser_agents (
    id              VARCHAR(255) PRIMARY KEY,
    channel         VARCHAR(16)  NOT NULL DEFAULT 'chromium'
                    CHECK (channel IN ('msedge', 'chrome', 'chromium')),
    headless        BOOLEAN      NOT NULL DEFAULT TRUE,
    status          VARCHAR(16)  NOT NULL DEFAULT 'created'
                    CHECK (status IN ('created', 'starting', 'running', 'stopped', 'error')),
    config          JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_by      VARCHAR(255),
    user_agent      TEXT,
    viewport_width  INTEGER      NOT NULL DEFAULT 1920 CHECK (viewport_width BETWEEN 100 AND 10000),
    viewport_height INTEGER      NOT NULL DEFAULT 1080 CHECK (viewport_height BETWEEN 100 AND 10000),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    deleted_at      TIMESTAMPTZ,
    total_actions   BIGINT       NOT NULL DEFAULT 0,
    total_errors    BIGINT       NOT NULL DEFAULT 0,
    last_action_at  TIMESTAMPTZ,
    version         BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX ix_browser_agents_status ON browser_agents (status) WHERE deleted_at IS NULL;
CREATE INDEX ix_browser_agents_created_by ON browser_agents (created_by);
CREATE INDEX ix_browser_agents_created_at ON browser_agents (created_at);

CREATE TABLE projects (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    workspace_id VARCHAR(255),
    folder_id    VARCHAR(255),
    description  TEXT,
    metadata     JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_by   VARCHAR(255),
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    deleted_at   TIMESTAMPTZ
);
CREATE INDEX ix_projects_created_by ON projects (created_by);
CREATE INDEX ix_projects_created_at ON projects (created_at);

CREATE TABLE tasks (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title         VARCHAR(500) NOT NULL,
    description   TEXT,
    status        VARCHAR(16)  NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    priority      VARCHAR(16)  NOT NULL DEFAULT 'medium'
                  CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    project_id    BIGINT       REFERENCES projects (id),
    agent_id      VARCHAR(255) REFERENCES browser_agents (id),
    task_type     VARCHAR(100),
    payload       JSONB        NOT NULL DEFAULT '{}'::jsonb,
    result        JSONB,
    error_message TEXT,
    started_at    TIMESTAMPTZ,
    completed_at  TIMESTAMPTZ,
    created_by    VARCHAR(255),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_tasks_created_by ON tasks (created_by);
CREATE INDEX ix_tasks_created_at ON tasks (created_at);
CREATE INDEX ix_tasks_project_id ON tasks (project_id);
CREATE INDEX ix_tasks_agent_id ON tasks (agent_id);

CREATE TABLE audit_logs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_type    VARCHAR(100) NOT NULL,
    action        VARCHAR(16)  NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'DELETE', 'EXECUTE')),
    resource_type VARCHAR(50)  NOT NULL,
    resource_id   VARCHAR(255),
    user_id       VARCHAR(255),
    user_email    VARCHAR(320),
    ip_address    VARCHAR(64),
    user_agent    TEXT,
    details       JSONB,
    old_value     JSONB,
    new_value     JSONB,
    success       BOOLEAN      NOT NULL,
    error_message TEXT,
    timestamp     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX ix_audit_logs_user_time ON audit_logs (user_id, timestamp);
CREATE INDEX ix_audit_logs_resource ON audit_logs (resource_type, resource_id);
CREATE INDEX ix_audit_logs_event_time ON audit_logs (event_type, timestamp);
CREATE INDEX ix_audit_logs_time ON audit_logs (timestamp);

-- History is append-only: the database itself refuses to rewrite or erase it,
-- whatever the application (or an operator with the application's role) attempts.
CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_logs_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change();

CREATE TRIGGER audit_logs_no_truncate
    BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change();
