-- The task queue lives in `tasks` (source = 'queue'); PostgreSQL is the broker. A worker claims a
-- pending task with SELECT ... FOR UPDATE SKIP LOCKED and holds it under a lease (owner + deadline)
-- that it extends while it runs; a lease that runs out puts the task back to pending (after a
-- backoff, through run_after) or, once max_attempts is spent, fails it.
ALTER TABLE tasks
    ADD COLUMN attempts          INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN max_attempts      INTEGER      NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    ADD COLUMN lease_owner       VARCHAR(255),
    ADD COLUMN lease_expires_at  TIMESTAMPTZ,
    ADD COLUMN run_after         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    ADD COLUMN idempotency_key   VARCHAR(255),
    ADD COLUMN request_hash      CHAR(64),
    ADD COLUMN error             JSONB,
    ADD COLUMN metadata          JSONB        NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN platform          VARCHAR(100) NOT NULL DEFAULT 'unknown',
    ADD COLUMN cancel_requested  BOOLEAN      NOT NULL DEFAULT FALSE,
    -- urgent first: the claim orders by this rank, then by age
    ADD COLUMN priority_rank     SMALLINT     GENERATED ALWAYS AS (
        CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END) STORED,
    ADD CONSTRAINT tasks_lease_held CHECK (status <> 'running' OR source <> 'queue'
        OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL));

-- An Idempotency-Key is unique per owner; the request hash tells a replay from a different request.
CREATE UNIQUE INDEX ux_tasks_owner_idempotency_key ON tasks (created_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- The claim: pending queue tasks of a type, best priority first, then oldest.
CREATE INDEX ix_tasks_claim ON tasks (task_type, priority_rank, created_at, id)
    WHERE status = 'pending' AND source = 'queue';

-- The reaper: running queue tasks by lease deadline.
CREATE INDEX ix_tasks_lease_expiry ON tasks (lease_expires_at)
    WHERE status = 'running' AND source = 'queue';

-- Binary step results (screenshots, PDFs, page HTML) kept apart from the task row, so lists stay small.
CREATE TABLE task_attachments (
    task_id    VARCHAR(255) NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    step       INTEGER      NOT NULL CHECK (step >= 0),
    media_type VARCHAR(100) NOT NULL,
    data       BYTEA        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, step)
);
