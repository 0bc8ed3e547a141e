-- email-config: the JdbcConfigStore table for PostgreSQL (9.5 or newer).
-- Add it to your own migrations; rename email_config if you pass another table name to the store.
-- Append-only: one row per saved revision; the newest row is in force; secrets are sealed by the engine.
CREATE TABLE IF NOT EXISTS email_config (
    revision       BIGINT       NOT NULL PRIMARY KEY,
    config_type    VARCHAR(200) NOT NULL,
    settings       TEXT         NOT NULL,
    sealed_secrets TEXT         NOT NULL,
    saved_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    saved_by       VARCHAR(500) NOT NULL
);
