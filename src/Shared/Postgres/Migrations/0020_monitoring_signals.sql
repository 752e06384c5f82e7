-- The challenger's verdicts, scored beside the champion's off the decision path (fraud.verdicts.shadow): live quality
-- compares the two on the same transactions.
CREATE TABLE IF NOT EXISTS shadow_verdicts (
    transaction_id text NOT NULL,
    model_version  text NOT NULL,
    card_id        text NOT NULL,
    event_time     timestamptz NOT NULL,
    score          real NOT NULL,
    decision       text NOT NULL,
    scored_at      timestamptz NOT NULL,
    ingested_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, model_version)
);
-- Live quality recomputes only the days whose verdicts or labels arrived since its last pass.
CREATE INDEX IF NOT EXISTS shadow_verdicts_ingested_idx ON shadow_verdicts (ingested_at);
CREATE INDEX IF NOT EXISTS verdicts_ingested_idx ON verdicts (ingested_at);
CREATE INDEX IF NOT EXISTS labels_ingested_idx ON labels (ingested_at);
