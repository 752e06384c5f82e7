-- Where each transaction row came from (topic, partition, offset), so a repeated transaction_id can be told from a
-- replay: the same message read again (same position) is idempotent, another message with a taken id is a duplicate.
-- NULL for rows written before this migration: those are treated as replays.
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS source_topic text NULL;
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS source_partition integer NULL;
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS source_offset bigint NULL;

-- Messages Monitoring could not write to history, with the reason: refused by the contract, a duplicate
-- transaction_id, or a row the database refused (isolated from its batch). One row per message position, so a
-- replay adds nothing. The payload is kept up to 64 KiB (payload_size says how large it was; the original stays
-- readable at its position until the topic's retention ends).
CREATE TABLE IF NOT EXISTS dead_letters (
    id               bigserial PRIMARY KEY,
    source_topic     text NOT NULL,
    source_partition integer NOT NULL,
    source_offset    bigint NOT NULL,
    reason           text NOT NULL,
    detail           text NOT NULL,
    payload          bytea NULL,
    payload_size     integer NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX IF NOT EXISTS dead_letters_reason_idx ON dead_letters (reason, dead_lettered_at);
