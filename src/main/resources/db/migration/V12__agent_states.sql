-- An agent's saved browser state (cookies and localStorage per origin, open tabs, active tab, viewport), so the
-- agent outlives its browser: saved when the browser stops for a reason the service controls and every
-- AGENT_STATE_SAVE_INTERVAL while it runs, restored when the browser is launched again, on any replica.
-- The state is encrypted by the service (AES-256-GCM, key from AGENT_STATE_KEY) before it gets here: `ciphertext`
-- holds the sealed JSON with its tag, `nonce` the 12-byte IV, `key_id` which key sealed it (the first bytes of the
-- key's SHA-256, never the key). `content_hash` is an HMAC of the plaintext under a key derived from the state key,
-- so an unchanged state is not written again without telling anyone what it holds. `size_bytes` is the plaintext's.
-- A save over the per-agent cap writes nothing but what was skipped (`skipped_at`, `skipped_bytes`), which the
-- state route reports. Agents are soft-deleted: the service deletes the row in the delete's transaction (the
-- foreign key's cascade only covers a hard delete).
CREATE TABLE agent_states (
    agent_id      VARCHAR(255) PRIMARY KEY REFERENCES browser_agents (id) ON DELETE CASCADE,
    ciphertext    BYTEA,
    nonce         BYTEA,
    key_id        TEXT,
    content_hash  BYTEA,
    size_bytes    INTEGER     NOT NULL DEFAULT 0,
    saved_at      TIMESTAMPTZ,
    save_reason   TEXT,
    skipped_at    TIMESTAMPTZ,
    skipped_bytes INTEGER,
    CHECK ((ciphertext IS NULL) = (nonce IS NULL))
);
