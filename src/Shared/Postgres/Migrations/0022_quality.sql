-- Live quality per model version and event day, as labels arrive: source live (the verdicts that decided) or shadow (the
-- challenger's, scored beside them). Outcomes as issuers report them: known once labelled or reported, or once matured
-- without a report (genuine); "unknown" otherwise. At a threshold a transaction is flagged when its decision is at least
-- that severe (review: review or decline). Recall is of the known frauds, from the first report on; precision and the
-- AUCs only once the whole day has matured (before, its genuine transactions are mostly not known yet and precision
-- would read far too high). fraud_amount is the known frauds' amount, caught_amount the part reviewed or declined.
CREATE TABLE IF NOT EXISTS quality_daily (
    source            text NOT NULL,
    model_version     text NOT NULL,
    day               date NOT NULL,
    transactions      bigint NOT NULL,
    known_fraud       bigint NOT NULL,
    known_genuine     bigint NOT NULL,
    unknown           bigint NOT NULL,
    review_flagged    bigint NOT NULL,
    review_fraud      bigint NOT NULL,
    review_genuine    bigint NOT NULL,
    decline_flagged   bigint NOT NULL,
    decline_fraud     bigint NOT NULL,
    false_declines    bigint NOT NULL,
    precision_review  double precision NULL,
    recall_review     double precision NULL,
    precision_decline double precision NULL,
    recall_decline    double precision NULL,
    roc_auc           double precision NULL,
    pr_auc            double precision NULL,
    fraud_amount      double precision NOT NULL,
    caught_amount     double precision NOT NULL,
    matured           boolean NOT NULL,
    as_of             timestamptz NOT NULL,
    computed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, model_version, day)
);
-- Per fraud scenario (as the labels name it): how much of it each model caught.
CREATE TABLE IF NOT EXISTS quality_scenario_daily (
    source         text NOT NULL,
    model_version  text NOT NULL,
    day            date NOT NULL,
    scenario       text NOT NULL,
    frauds         bigint NOT NULL,
    review_caught  bigint NOT NULL,
    decline_caught bigint NOT NULL,
    fraud_amount   double precision NOT NULL,
    caught_amount  double precision NOT NULL,
    PRIMARY KEY (source, model_version, day, scenario)
);
