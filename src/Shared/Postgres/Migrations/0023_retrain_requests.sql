-- Requests for a new model, raised by Monitoring when drift or live quality crosses its limits (trigger drift|quality),
-- answered by the trainer's next scheduled run, which closes them with the version it produced. At most one is open per
-- model.
CREATE TABLE IF NOT EXISTS retrain_requests (
    id                bigserial PRIMARY KEY,
    model_name        text NOT NULL,
    model_version     text NOT NULL,
    trigger           text NOT NULL,
    reason            text NOT NULL,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    closed_by_version text NULL,
    closed_at         timestamptz NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS retrain_requests_one_open_idx ON retrain_requests (model_name) WHERE closed_at IS NULL;
-- A registered version can be the challenger (scored in shadow beside the champion): at most one per model.
CREATE UNIQUE INDEX IF NOT EXISTS model_versions_one_challenger_idx ON model_versions (model_name) WHERE status = 'challenger';
