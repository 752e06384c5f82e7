-- Labelled history: what Monitoring writes and the trainer reads. Keyed by transaction_id so
-- replays and restarts upsert instead of duplicating.
CREATE TABLE IF NOT EXISTS transactions (
    transaction_id    text PRIMARY KEY,
    card_id           text NOT NULL,
    event_time        timestamptz NOT NULL,
    merchant_id       text NOT NULL,
    merchant_category text NOT NULL,
    amount            double precision NOT NULL,
    currency          text NOT NULL,
    country           text NOT NULL,
    channel           text NOT NULL,
    device_id         text NULL,
    ip                text NULL,
    email_domain      text NULL,
    attributes        jsonb NULL,
    ingested_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS transactions_event_time_idx ON transactions (event_time);

CREATE TABLE IF NOT EXISTS verdicts (
    transaction_id text PRIMARY KEY,
    card_id        text NOT NULL,
    event_time     timestamptz NOT NULL,
    score          real NOT NULL,
    decision       text NOT NULL,
    model_version  text NOT NULL,
    reasons        jsonb NULL,
    scored_at      timestamptz NOT NULL,
    latency_ms     double precision NOT NULL,
    ingested_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS verdicts_model_version_idx ON verdicts (model_version);

CREATE TABLE IF NOT EXISTS labels (
    transaction_id text PRIMARY KEY,
    card_id        text NOT NULL,
    is_fraud       boolean NOT NULL,
    labelled_at    timestamptz NOT NULL,
    source         text NOT NULL,
    scenario       text NULL,
    ingested_at    timestamptz NOT NULL DEFAULT now()
);

-- The model registry: one row per trained version. Written by the trainer in the same
-- transaction that checks for duplicates, so a failed run leaves no half-registered version.
CREATE TABLE IF NOT EXISTS model_versions (
    model_name      text NOT NULL,
    version         text NOT NULL,
    created_at      timestamptz NOT NULL,
    artifact_uri    text NOT NULL,
    artifact_sha256 text NOT NULL,
    content_hash    text NOT NULL,
    feature_spec    text NOT NULL,
    feature_hash    text NOT NULL,
    roc_auc         double precision NOT NULL,
    pr_auc          double precision NOT NULL,
    status          text NOT NULL DEFAULT 'registered', -- registered | champion | retired
    manifest        jsonb NOT NULL,
    PRIMARY KEY (model_name, version)
);
CREATE UNIQUE INDEX IF NOT EXISTS model_versions_content_idx ON model_versions (model_name, content_hash, feature_hash);
