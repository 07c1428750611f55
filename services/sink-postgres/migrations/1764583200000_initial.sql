-- Up Migration
-- Tideline's batch history: what the processor committed, written by sink-postgres, read by query-api.
-- Every table is range-partitioned by event time (daily partitions, created ahead and dropped by the
-- retention setting by sink-postgres); job_version keeps the outputs of a Kappa reprocessing apart
-- until the cut-over. Times are timestamptz (UTC); the unqualified names resolve through search_path,
-- so a test run migrates its own schema.

CREATE TABLE readings (
  job_version integer NOT NULL,
  feed text NOT NULL,
  key text NOT NULL,
  event_time timestamptz NOT NULL,
  event_id text NOT NULL,
  measure text NOT NULL,
  value double precision NOT NULL,
  unit text NOT NULL,
  source text NOT NULL,
  attributes jsonb,
  PRIMARY KEY (job_version, feed, key, event_time, event_id)
) PARTITION BY RANGE (event_time);

CREATE TABLE window_aggregates (
  job text NOT NULL,
  job_version integer NOT NULL,
  feed text NOT NULL,
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  event_count integer NOT NULL,
  avg double precision,
  min double precision,
  max double precision,
  aggregates jsonb NOT NULL,
  firing text NOT NULL,
  emitted_watermark_ms bigint,
  PRIMARY KEY (job, job_version, feed, key, window_start, window_end)
) PARTITION BY RANGE (window_start);

CREATE TABLE alerts (
  job_version integer NOT NULL,
  alert_id text NOT NULL,
  feed text NOT NULL,
  key text NOT NULL,
  level text NOT NULL,
  value double precision,
  thresholds jsonb NOT NULL,
  event_time timestamptz NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (job_version, alert_id, event_time)
) PARTITION BY RANGE (event_time);

-- One row per series (instrument, symbol or node) seen: what the query API lists, with the latest
-- attributes a reading carried (location, alert and alarm levels of an instrument).
CREATE TABLE series (
  job_version integer NOT NULL,
  feed text NOT NULL,
  key text NOT NULL,
  measure text NOT NULL,
  unit text NOT NULL,
  attributes jsonb,
  first_event_time timestamptz NOT NULL,
  last_event_time timestamptz NOT NULL,
  PRIMARY KEY (job_version, feed, key)
);

-- The query API's access paths: a series over a time range (history, downsampling, keyset pages by
-- event time), alerts by time and by key and level.
CREATE INDEX readings_series_time ON readings (job_version, feed, key, event_time);
CREATE INDEX window_aggregates_series_time ON window_aggregates (job, job_version, key, window_start);
CREATE INDEX alerts_time ON alerts (job_version, event_time);
CREATE INDEX alerts_key_level_time ON alerts (job_version, key, level, event_time);
CREATE INDEX series_feed_measure ON series (job_version, feed, measure, key);

-- Down Migration
DROP TABLE series;
DROP TABLE alerts;
DROP TABLE window_aggregates;
DROP TABLE readings;
