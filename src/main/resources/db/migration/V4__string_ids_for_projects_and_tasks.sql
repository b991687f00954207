-- Projects and tasks hold Taskade's string ids (the seed's models use strings too); queue tasks
-- created by this service get generated string ids. A task's project is a Taskade project that
-- may never have been mirrored here, so project_id is a plain indexed reference, not a foreign key.
-- `source` tells a task mirrored from Taskade from one queued in this service, so the queue
-- never claims a mirror row. The owner of either is `created_by`.
ALTER TABLE tasks DROP CONSTRAINT tasks_project_id_fkey;

ALTER TABLE projects ALTER COLUMN id DROP IDENTITY;
ALTER TABLE projects ALTER COLUMN id TYPE VARCHAR(255) USING id::text;

ALTER TABLE tasks ALTER COLUMN id DROP IDENTITY;
ALTER TABLE tasks ALTER COLUMN id TYPE VARCHAR(255) USING id::text;
ALTER TABLE tasks ALTER COLUMN project_id TYPE VARCHAR(255) USING project_id::text;
ALTER TABLE tasks ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'queue'
    CHECK (source IN ('queue', 'taskade'));

CREATE INDEX ix_projects_workspace_id ON projects (workspace_id);
CREATE INDEX ix_tasks_priority ON tasks (priority);
