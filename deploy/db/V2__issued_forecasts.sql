-- One row per issued forecast instead of one per value: a forecast of 24 steps x 7 channels is
-- one row of arrays, not 168 rows, so the writer keeps up with a topology that forecasts on every
-- reading. `forecasts` becomes a view with the same columns as before (one row per value), so
-- queries and dashboards written for the long format keep working. Idempotent.

-- A database made with V1 alone has `forecasts` as a table: an empty one is dropped, one with rows
-- is kept as `forecasts_v1` (its rows are not moved).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relname = 'forecasts' AND c.relkind IN ('r', 'p') AND n.nspname = current_schema()) THEN
        IF EXISTS (SELECT 1 FROM forecasts LIMIT 1) THEN
            ALTER TABLE forecasts RENAME TO forecasts_v1;
            RAISE NOTICE 'the long-format forecasts table is kept as forecasts_v1';
        END IF;
        DROP TABLE IF EXISTS forecasts CASCADE;
    END IF;
END $$;

-- yhat, yhat_lower, yhat_upper: [step][channel], steps in horizon order, channels in the order of
-- `channels`. An interval bound is NaN where that step had none (the view shows NULL); the whole
-- array is NULL when no step had one. target_ts: the target time of each step.
CREATE TABLE IF NOT EXISTS issued_forecasts (
    issued_at     timestamptz   NOT NULL,
    series        text          NOT NULL,
    model         text          NOT NULL,
    model_version text          NOT NULL,
    channels      text[]        NOT NULL,
    target_ts     timestamptz[] NOT NULL,
    yhat          real[]        NOT NULL,
    yhat_lower    real[],
    yhat_upper    real[],
    CONSTRAINT issued_forecasts_key UNIQUE (series, issued_at, model)
);

CREATE INDEX IF NOT EXISTS issued_forecasts_issued ON issued_forecasts (issued_at);

-- A forecast of 24 x 7 values is a row of about 2.3 kB: kept whole in the row, not compressed (its
-- numbers hardly compress) or moved out of line, which made inserts about 1.7 times slower.
ALTER TABLE issued_forecasts SET (toast_tuple_target = 8160);

-- One row per forecast value, unique on (series, channel, issued_at, step, model). (unnest, not
-- generate_series: the planner then expects a few rows per forecast, not thousands, and joins with
-- readings in seconds instead of minutes before the tables have statistics.)
CREATE OR REPLACE VIEW forecasts AS
SELECT f.issued_at, f.series, ch.channel, t.target_ts, t.step::int AS step,
       f.yhat[t.step][ch.c]::double precision AS yhat,
       NULLIF(f.yhat_lower[t.step][ch.c], 'NaN')::double precision AS yhat_lower,
       NULLIF(f.yhat_upper[t.step][ch.c], 'NaN')::double precision AS yhat_upper,
       f.model, f.model_version
FROM issued_forecasts f
CROSS JOIN LATERAL unnest(f.target_ts) WITH ORDINALITY AS t(target_ts, step)
CROSS JOIN LATERAL unnest(f.channels) WITH ORDINALITY AS ch(channel, c);

CREATE OR REPLACE VIEW forecast_errors AS
SELECT f.series, f.channel, f.step, f.model, f.model_version, f.issued_at, f.target_ts,
       f.yhat, f.yhat_lower, f.yhat_upper, r.value AS actual,
       r.value - f.yhat AS error,
       CASE WHEN f.yhat_lower IS NULL THEN NULL
            ELSE (r.value BETWEEN f.yhat_lower AND f.yhat_upper)::int END AS covered
FROM forecasts f
JOIN readings r ON r.series = f.series AND r.channel = f.channel AND r.ts = f.target_ts;

CREATE OR REPLACE VIEW forecast_error_hourly AS
SELECT date_trunc('hour', target_ts) AS bucket, series, channel, step,
       count(*) AS n,
       avg(abs(error)) AS mae,
       avg(error * error) AS mse,
       avg(covered) AS coverage
FROM forecast_errors
GROUP BY 1, 2, 3, 4;
