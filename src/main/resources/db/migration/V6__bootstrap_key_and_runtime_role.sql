-- At most one first-start admin key per database, even when replicas start together: the loser's
-- INSERT ... ON CONFLICT DO NOTHING waits for the winner's and inserts nothing.
CREATE UNIQUE INDEX ux_api_keys_one_bootstrap ON api_keys (purpose) WHERE purpose = 'bootstrap';

-- The service's own role, when it is not the role that migrates (DATABASE_MIGRATION_URL set; the
-- placeholder is empty otherwise and nothing is granted): full use of the working tables, but on
-- audit_logs only INSERT and SELECT. UPDATE, DELETE and TRUNCATE are refused by privileges (the
-- triggers of V1 stay as a second wall), and only the owner may drop or disable those triggers.
-- Tables later migrations create get the same working privileges by default; a later table that
-- must be append-only revokes them in its own migration.
DO $grants$
DECLARE
    runtime_role text := '${runtime_role}';
    app_schema text := current_schema();
BEGIN
    IF runtime_role = '' OR runtime_role = current_user THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', app_schema, runtime_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', app_schema, runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', app_schema, runtime_role);
    EXECUTE format('REVOKE ALL ON audit_logs FROM %I', runtime_role);
    EXECUTE format('GRANT SELECT, INSERT ON audit_logs TO %I', runtime_role);
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', runtime_role);
    END IF;
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   app_schema, runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', app_schema, runtime_role);
END
$grants$;
