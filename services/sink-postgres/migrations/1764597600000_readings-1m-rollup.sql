-- Up Migration
-- readings_1m: a continuous aggregate of readings per series and minute (bucket = the minute's start,
-- aligned to the epoch as date_bin(..., TIMESTAMPTZ 'epoch') aligns), kept by sink-postgres in the
-- transaction that merges the readings, so that the query API answers downsampled history at whole-minute
-- resolutions from 1,440 rows a day instead of every reading. sum is double precision like
-- readings.value: avg = sum / count equals avg(value) up to the order of the float additions.
-- Range-partitioned by bucket with the same daily partitions (and retention) as readings.
CREATE TABLE readings_1m (
  job_version integer NOT NULL,
  feed text NOT NULL,
  key text NOT NULL,
  bucket timestamptz NOT NULL,
  count integer NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  PRIMARY KEY (job_version, feed, key, bucket)
) PARTITION BY RANGE (bucket);

-- One partition for each partition readings has, with the same bounds (a reading and its minute fall in
-- the same day), then the backfill of every reading already stored.
DO $$
DECLARE
  part record;
BEGIN
  FOR part IN
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'readings'::regclass
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF readings_1m %s',
                   'readings_1m_' || substr(part.name, length('readings_') + 1), part.bound);
  END LOOP;
END
$$;

INSERT INTO readings_1m (job_version, feed, key, bucket, count, sum, min, max)
SELECT job_version, feed, key, date_bin('1 minute', event_time, TIMESTAMPTZ 'epoch'),
       count(*), sum(value), min(value), max(value)
  FROM readings
 GROUP BY 1, 2, 3, 4;

-- Down Migration
DROP TABLE readings_1m;
