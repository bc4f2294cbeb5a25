-- Tidecast base schema: plain PostgreSQL (11 or newer). Long format: one row per value, so any
-- number of channels fits. Every statement is idempotent.

CREATE TABLE IF NOT EXISTS readings (
    ts      timestamptz      NOT NULL,
    series  text             NOT NULL,
    channel text             NOT NULL,
    value   double precision NOT NULL,
    CONSTRAINT readings_key UNIQUE (series, channel, ts)
);

CREATE TABLE IF NOT EXISTS forecasts (
    issued_at     timestamptz      NOT NULL,
    series        text             NOT NULL,
    channel       text             NOT NULL,
    target_ts     timestamptz      NOT NULL,
    step          int              NOT NULL,
    yhat          double precision NOT NULL,
    yhat_lower    double precision,
    yhat_upper    double precision,
    model         text             NOT NULL,
    model_version text             NOT NULL,
    CONSTRAINT forecasts_key UNIQUE (series, channel, issued_at, step, model)
);

CREATE INDEX IF NOT EXISTS readings_ts ON readings (ts);
-- (after V2, `forecasts` is a view over one row per forecast: these indexes are for the V1 table)
DO $$
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('forecasts')) = 'r' THEN
        CREATE INDEX IF NOT EXISTS forecasts_target ON forecasts (series, channel, target_ts);
        CREATE INDEX IF NOT EXISTS forecasts_issued ON forecasts (issued_at);
    END IF;
END $$;

-- Every forecast value whose actual has arrived, with its error and whether the interval held it.
CREATE OR REPLACE VIEW forecast_errors AS
SELECT f.series, f.channel, f.step, f.model, f.model_version, f.issued_at, f.target_ts,
       f.yhat, f.yhat_lower, f.yhat_upper, r.value AS actual,
       r.value - f.yhat AS error,
       CASE WHEN f.yhat_lower IS NULL THEN NULL
            ELSE (r.value BETWEEN f.yhat_lower AND f.yhat_upper)::int END AS covered
FROM forecasts f
JOIN readings r ON r.series = f.series AND r.channel = f.channel AND r.ts = f.target_ts;

-- Forecast error by series, channel and horizon step, per hour of target time.
CREATE OR REPLACE VIEW forecast_error_hourly AS
SELECT date_trunc('hour', target_ts) AS bucket, series, channel, step,
       count(*) AS n,
       avg(abs(error)) AS mae,
       avg(error * error) AS mse,
       avg(covered) AS coverage
FROM forecast_errors
GROUP BY 1, 2, 3, 4;
