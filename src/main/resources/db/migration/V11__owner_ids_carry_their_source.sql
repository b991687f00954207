-- Owner ids carry their source (security/OwnerId): `key:<name>` for an API key's owner, `jwt:<issuer tag>:<subject>`
-- for a token's principal. Before, both were the bare name, so an API key named like a token's subject was the
-- same owner. Every owner column is rewritten here, in this migration's one transaction.
--
-- The old rows cannot tell a key's owner from a token's subject (the email recorded with JWT callers' audit entries
-- is optional, and this migration does not know the issuer tag, which is configuration), so every plain id becomes
-- `key:<id>`: the old owners keep their rows when their API keys keep their names. A token user's old rows end up
-- owned by `key:<subject>`, which no token can be; an admin can hand them over (docs/security.md#owner-ids).
-- Unchanged: NULL, and `system` and `anonymous`, the service's own actor and nobody, which have no source.
--
-- An id too long to take its prefix within VARCHAR(255) (only a token subject of 252 to 255 characters could be)
-- keeps its first 218 characters and the MD5 of the whole, so two such ids stay apart. The function lives only as
-- long as this migration.
CREATE FUNCTION v11_owner_id_with_source(plain text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN plain IS NULL OR plain IN ('system', 'anonymous') THEN plain
        WHEN length(plain) <= 251 THEN 'key:' || plain
        ELSE 'key:' || left(plain, 218) || '#' || md5(plain)
    END
$$;

UPDATE browser_agents SET created_by = v11_owner_id_with_source(created_by)
    WHERE created_by IS NOT NULL AND created_by NOT IN ('system', 'anonymous');
UPDATE projects SET created_by = v11_owner_id_with_source(created_by)
    WHERE created_by IS NOT NULL AND created_by NOT IN ('system', 'anonymous');
-- both queue tasks and tasks mirrored from Taskade (source = 'taskade')
UPDATE tasks SET created_by = v11_owner_id_with_source(created_by)
    WHERE created_by IS NOT NULL AND created_by NOT IN ('system', 'anonymous');
-- the first-start admin key's owner: `admin` becomes `key:admin`, as AGENT_API_KEYS' admin:admin:<key> would be
UPDATE api_keys SET owner_id = v11_owner_id_with_source(owner_id)
    WHERE owner_id NOT IN ('system', 'anonymous');

-- The audit trail: the one sanctioned rewrite of history (docs/security.md#owner-ids). Only `user_id` changes, so an
-- admin filtering by the new id finds the old entries; what the entries say (details, old and new values) stays as
-- written. The append-only trigger is lifted for this statement alone and put back in the same transaction: if
-- anything here fails, the whole migration rolls back, trigger state included, and no other session ever sees it
-- lifted (ALTER TABLE holds an exclusive lock on audit_logs until the commit). Only the table's owner, the role
-- that migrates, may do this; the service's own role may not (V6).
ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_no_update_delete;
UPDATE audit_logs SET user_id = v11_owner_id_with_source(user_id)
    WHERE user_id IS NOT NULL AND user_id NOT IN ('system', 'anonymous');
ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_no_update_delete;

DROP FUNCTION v11_owner_id_with_source(text);
