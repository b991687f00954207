-- The queue is shared fairly between owners (see TaskQueue.claim).
ALTER TABLE tasks
    -- which of its owner's max-running-per-owner places a running task holds (1..max); a claim takes a free one
    ADD COLUMN run_slot       SMALLINT CHECK (run_slot > 0),
    -- time spent running in finished attempts, and the most a task may spend running over all its attempts
    -- (agent-api.tasks.max-runtime when it was queued; null for tasks queued before there was a budget: none)
    ADD COLUMN runtime_ms     BIGINT NOT NULL DEFAULT 0 CHECK (runtime_ms >= 0),
    ADD COLUMN max_runtime_ms BIGINT CHECK (max_runtime_ms > 0);

-- Two running tasks of one owner never hold the same place: two claims racing for an owner's last place
-- (on any replicas) collide here, and the second fails and claims again, so the running cap is exact. It also
-- serves counting an owner's running tasks.
CREATE UNIQUE INDEX ux_tasks_running_slot ON tasks (created_by, run_slot)
    WHERE status = 'running' AND source = 'queue';

-- An owner's pending queue tasks in claim order: the claim walks from owner to owner through it (a loose index
-- scan, one probe per owner with pending tasks), takes each owner's head, then claims within the owner whose turn
-- it is. Creates count an owner's pending tasks with it.
CREATE INDEX ix_tasks_pending_by_owner ON tasks (created_by, priority_rank, created_at, id)
    WHERE status = 'pending' AND source = 'queue';
