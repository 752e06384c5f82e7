-- Labels are what issuers send: fraud reports (and some confirmed-genuine reviews). The row keeps the latest label;
-- first_fraud_at keeps when the transaction was first reported as fraud, which the entity features count (a report
-- counts on the day it was received) and which a later label must not erase.
ALTER TABLE labels ADD COLUMN IF NOT EXISTS first_fraud_at timestamptz NULL;
UPDATE labels SET first_fraud_at = labelled_at WHERE is_fraud AND first_fraud_at IS NULL;
