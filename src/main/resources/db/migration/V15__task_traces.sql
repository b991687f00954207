-- Traced tasks: a browser.actions task queued with "trace": true records a Playwright trace of its run (before its
-- first step to after its last, also when a step fails or the task is cancelled). The zip is kept with the task's
-- results, one per task (a retry's replaces the last attempt's): gone with the task, and after expires_at (the
-- traces' retention; a scheduled cleanup, and never served after).
ALTER TABLE tasks ADD COLUMN trace BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE task_traces (
    task_id     VARCHAR(255) PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    data        BYTEA        NOT NULL,
    size_bytes  BIGINT       NOT NULL CHECK (size_bytes >= 0),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX task_traces_expires_at ON task_traces (expires_at);
