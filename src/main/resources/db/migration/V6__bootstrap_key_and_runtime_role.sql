-- At most one first-start admin key per database, even when replicas start together: the loser's
-- INSERT ... ON CONFLICT DO NOTHING waits for the winner's and inserts nothing.
CREATE UNIQUE INDEX ux_api_keys_one_bootstrap ON api_keys (purpose) WHERE purpose = 'bootstrap';
