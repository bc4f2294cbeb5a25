-- TimescaleDB part, applied only where the timescaledb extension is available. Idempotent.
CREATE EXTENSION IF NOT EXISTS timescaledb;

-- The unique constraints include the time columns, as hypertables require.
SELECT create_hypertable('readings', 'ts', chunk_time_interval => INTERVAL '1 day',
                         if_not_exists => TRUE, migrate_data => TRUE);
SELECT create_hypertable('issued_forecasts', 'issued_at', chunk_time_interval => INTERVAL '1 day',
                         if_not_exists => TRUE, migrate_data => TRUE);

ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'series, channel',
                          timescaledb.compress_orderby = 'ts');
ALTER TABLE issued_forecasts SET (timescaledb.compress, timescaledb.compress_segmentby = 'series',
                                  timescaledb.compress_orderby = 'issued_at');
SELECT add_compression_policy('readings', INTERVAL '7 days', if_not_exists => TRUE);
SELECT add_compression_policy('issued_forecasts', INTERVAL '7 days', if_not_exists => TRUE);
SELECT add_retention_policy('readings', INTERVAL '180 days', if_not_exists => TRUE);
SELECT add_retention_policy('issued_forecasts', INTERVAL '90 days', if_not_exists => TRUE);

-- Forecast error by series, channel and step per hour, kept up to date by Timescale. A continuous
-- aggregate reads a single hypertable and cannot join, so each forecast value is scored into
-- forecast_scores when its actual arrives (or when a forecast arrives for an actual already there),
-- by the triggers below, and the aggregate reads that.
CREATE TABLE IF NOT EXISTS forecast_scores (
    target_ts timestamptz NOT NULL,
    series    text        NOT NULL,
    channel   text        NOT NULL,
    step      int         NOT NULL,
    model     text        NOT NULL,
    error     double precision NOT NULL,
    covered   int,
    CONSTRAINT forecast_scores_key UNIQUE (series, channel, target_ts, step, model)
);
SELECT create_hypertable('forecast_scores', 'target_ts', chunk_time_interval => INTERVAL '1 day',
                         if_not_exists => TRUE, migrate_data => TRUE);

-- A reading scores the forecasts issued up to 31 days before it (the longest horizon the database
-- scores) that target its time.
CREATE OR REPLACE FUNCTION tidecast_score_reading() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO forecast_scores (target_ts, series, channel, step, model, error, covered)
    SELECT f.target_ts, f.series, f.channel, f.step, f.model, NEW.value - f.yhat,
           CASE WHEN f.yhat_lower IS NULL THEN NULL
                ELSE (NEW.value BETWEEN f.yhat_lower AND f.yhat_upper)::int END
    FROM forecasts f
    WHERE f.series = NEW.series AND f.channel = NEW.channel AND f.target_ts = NEW.ts
      AND f.issued_at < NEW.ts AND f.issued_at >= NEW.ts - INTERVAL '31 days'
    ON CONFLICT (series, channel, target_ts, step, model)
    DO UPDATE SET error = EXCLUDED.error, covered = EXCLUDED.covered;
    RETURN NULL;
END $$;

-- A forecast is scored against the readings already there for its target times.
CREATE OR REPLACE FUNCTION tidecast_score_forecast() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO forecast_scores (target_ts, series, channel, step, model, error, covered)
    SELECT NEW.target_ts[s], NEW.series, NEW.channels[c], s, NEW.model, r.value - NEW.yhat[s][c],
           CASE WHEN NULLIF(NEW.yhat_lower[s][c], 'NaN') IS NULL THEN NULL
                ELSE (r.value BETWEEN NEW.yhat_lower[s][c] AND NEW.yhat_upper[s][c])::int END
    FROM generate_series(1, cardinality(NEW.target_ts)) AS s
    CROSS JOIN generate_series(1, cardinality(NEW.channels)) AS c
    JOIN readings r ON r.series = NEW.series AND r.channel = NEW.channels[c] AND r.ts = NEW.target_ts[s]
    ON CONFLICT (series, channel, target_ts, step, model)
    DO UPDATE SET error = EXCLUDED.error, covered = EXCLUDED.covered;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tidecast_score_reading ON readings;
CREATE TRIGGER tidecast_score_reading AFTER INSERT OR UPDATE ON readings
    FOR EACH ROW EXECUTE FUNCTION tidecast_score_reading();
DROP TRIGGER IF EXISTS tidecast_score_forecast ON issued_forecasts;
CREATE TRIGGER tidecast_score_forecast AFTER INSERT OR UPDATE ON issued_forecasts
    FOR EACH ROW EXECUTE FUNCTION tidecast_score_forecast();

CREATE MATERIALIZED VIEW IF NOT EXISTS forecast_error_hourly_cagg
WITH (timescaledb.continuous) AS
SELECT time_bucket(INTERVAL '1 hour', target_ts) AS bucket, series, channel, step,
       count(*) AS n, avg(abs(error)) AS mae, avg(error * error) AS mse, avg(covered) AS coverage
FROM forecast_scores
GROUP BY 1, 2, 3, 4
WITH NO DATA;

SELECT add_continuous_aggregate_policy('forecast_error_hourly_cagg',
    start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour',
    schedule_interval => INTERVAL '15 minutes', if_not_exists => TRUE);
