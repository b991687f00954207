-- A worker claims across every type it handles (task_type IN (...)): ix_tasks_claim, led by the type,
-- cannot give that order, so each claim sorted every pending task (claims slowed as the queue grew:
-- 387 tasks/s at 5,000 pending, 168 at 20,000). Walking this index in priority order and skipping
-- other types' rows makes a claim cost the same at any depth. ix_tasks_claim still serves external
-- workers, who claim one type.
CREATE INDEX ix_tasks_claim_any_type ON tasks (priority_rank, created_at, id)
    WHERE status = 'pending' AND source = 'queue';
