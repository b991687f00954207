CREATE TABLE agent (id TEXT PRIMARY KEY, status TEXT NOT NULL, channel TEXT NOT NULL, headless BOOLEAN NOT NULL,
                    config JSONB NOT NULL DEFAULT '{}', created_by TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), version BIGINT NOT NULL DEFAULT 0);
INSERT INTO agent (id, status, channel, headless, created_by) VALUES ('bench-agent', 'created', 'chromium', true, 'bench');
