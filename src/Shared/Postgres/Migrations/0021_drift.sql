-- Each scorer process's cumulative bin counts per model version and event day (fraud.drift); a repeated report replaces
-- the row, so the day's totals are the sum over sources.
CREATE TABLE IF NOT EXISTS drift_counts (
    model_version  text NOT NULL,
    day            date NOT NULL,
    source         text NOT NULL,
    transactions   bigint NOT NULL,
    score_counts   bigint[] NOT NULL,
    feature_counts jsonb NOT NULL,
    unseen_counts  jsonb NOT NULL,
    reported_at    timestamptz NOT NULL,
    PRIMARY KEY (model_version, day, source)
);
-- Daily drift per model version against its training reference: signal feature_psi (name = the feature), score_psi
-- (name = score) or unseen_rate (name = the categorical field).
CREATE TABLE IF NOT EXISTS drift_daily (
    model_version text NOT NULL,
    day           date NOT NULL,
    signal        text NOT NULL,
    name          text NOT NULL,
    value         double precision NOT NULL,
    transactions  bigint NOT NULL,
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_version, day, signal, name)
);
