-- API keys kept by the service itself (today: the admin key generated at first start when no
-- identity provider and no key is configured). Only a SHA-256 hash of each key is stored.
CREATE TABLE api_keys (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   VARCHAR(255) NOT NULL,
    role       VARCHAR(16)  NOT NULL CHECK (role IN ('user', 'admin')),
    key_hash   CHAR(64)     NOT NULL UNIQUE,
    purpose    VARCHAR(50)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
