-- When each version last became champion, so a rollback returns to the champion before the current one whatever
-- order versions were created or promoted in; and when the champion was last announced on the models topic, so a
-- champion registered (or promoted) but never announced is announced by the next trainer run.
ALTER TABLE model_versions ADD COLUMN IF NOT EXISTS promoted_at timestamptz NULL;
ALTER TABLE model_versions ADD COLUMN IF NOT EXISTS announced_at timestamptz NULL;
-- Versions that were champion before these columns existed: promoted and announced when they were created.
UPDATE model_versions SET promoted_at = created_at, announced_at = created_at
 WHERE status IN ('champion', 'retired') AND promoted_at IS NULL;
