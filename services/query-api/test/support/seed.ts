// The one place tests seed Tideline's history and queryable state. Until the processor and the sinks
// are on main it writes what they would write: the agreed migration applied as it is to a schema of
// its own, rows exactly as sink-postgres would insert them from contract-valid records, and the
// processor's Redis hashes in a namespace of its own. Swap the body for the real pipeline later;
// keep the interface.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  LatestField,
  stateKeys,
  validateEvent,
  type Alert,
  type CleanReading,
  type EventKind,
  type Feed,
  type WindowAggregate,
} from '@tideline/contracts';
import { Redis } from 'ioredis';
import pg from 'pg';

export const PG_URL = 'postgres://tideline@127.0.0.1:5432/tideline';
export const REDIS_URL = 'redis://127.0.0.1:6379';
const MIGRATION = new URL('../../../sink-postgres/migrations/1764583200000_initial.sql', import.meta.url);

/** A window result with the feed its topic belongs to (a WindowAggregate does not carry it). */
export interface SeedWindow {
  feed: Feed;
  aggregate: WindowAggregate;
}

export interface SeedInput {
  readings?: CleanReading[];
  windows?: SeedWindow[];
  alerts?: Alert[];
  /** Output version the records belong to (a topic's `.v<n>`); 1 by default. */
  version?: number;
}

export interface Seeded {
  pgSchema: string;
  namespace: string;
  /** Adds more records to the same schema and namespace. */
  add(input: SeedInput): Promise<void>;
  cleanup(): Promise<void>;
}

export async function seed(input: SeedInput = {}): Promise<Seeded> {
  const suffix = randomBytes(5).toString('hex');
  const pgSchema = `t_${suffix}`;
  const namespace = `t-${suffix}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const redis = new Redis(REDIS_URL);
  const keys = stateKeys(namespace);
  await client.query(`CREATE SCHEMA ${pgSchema}`);
  await client.query(`SET search_path TO ${pgSchema}`);
  await client.query(upMigration(await readFile(MIGRATION, 'utf8')));
  // sink-postgres creates daily partitions ahead; a default partition holds any day for a test.
  for (const table of ['readings', 'window_aggregates', 'alerts'])
    await client.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);

  const add = async (more: SeedInput) => {
    const version = more.version ?? 1;
    for (const reading of more.readings ?? []) {
      checked('cleanReading', reading);
      await insertReading(client, version, reading);
      await writeLatest(
        redis,
        keys.latest(reading.feed, reading.key, version),
        LatestField.reading,
        reading,
        reading.eventTimeMs,
      );
      await redis.zadd(keys.keys(reading.feed, version), 'GT', reading.eventTimeMs, reading.key);
    }
    for (const { feed, aggregate } of more.windows ?? []) {
      checked('windowAggregate', aggregate);
      await insertWindow(client, version, feed, aggregate);
      await writeLatest(
        redis,
        keys.latest(feed, aggregate.key, version),
        LatestField.window(aggregate.job),
        aggregate,
        aggregate.windowEndMs,
      );
    }
    for (const alert of more.alerts ?? []) {
      checked('alert', alert);
      await insertAlert(client, version, alert);
      await writeLatest(
        redis,
        keys.latest(alert.feed, alert.key, version),
        LatestField.alert,
        alert,
        alert.eventTimeMs,
      );
    }
  };
  await add(input);

  return {
    pgSchema,
    namespace,
    add,
    cleanup: async () => {
      await client.query(`DROP SCHEMA ${pgSchema} CASCADE`);
      await client.end();
      await deleteNamespace(redis, namespace);
      redis.disconnect();
    },
  };
}

/**
 * Writes one update as the processor does after its transaction commits: the latest-value hash
 * field, then a PUBLISH of `{ field, value }` on the key's update channel.
 */
export async function publishUpdate(
  namespace: string,
  update: { feed: Feed; key: string; field: string; value: object; version?: number },
): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = stateKeys(namespace);
    await redis.hset(
      keys.latest(update.feed, update.key, update.version),
      update.field,
      JSON.stringify(update.value),
    );
    return await redis.publish(
      keys.updates(update.feed, update.key, update.version),
      JSON.stringify({ field: update.field, value: update.value }),
    );
  } finally {
    redis.disconnect();
  }
}

/** The `-- Up Migration` part of a node-pg-migrate SQL file, as it is. */
function upMigration(sql: string): string {
  const start = sql.indexOf('-- Up Migration');
  const end = sql.indexOf('-- Down Migration');
  if (start < 0 || end < 0) throw new Error('migration without Up/Down sections');
  return sql.slice(start, end);
}

function checked(kind: EventKind, value: unknown): void {
  const result = validateEvent(kind, value);
  if (!result.ok) throw new Error(`seed: invalid ${kind}: ${JSON.stringify(result.errors)}`);
}

/** Only a newer value replaces the latest one (the processor's rule for out-of-order updates). */
async function writeLatest(
  redis: Redis,
  key: string,
  field: string,
  value: object,
  timeMs: number,
): Promise<void> {
  const current = await redis.hget(key, field);
  if (current !== null) {
    const old = JSON.parse(current) as { eventTimeMs?: number; windowEndMs?: number };
    if ((old.eventTimeMs ?? old.windowEndMs ?? 0) > timeMs) return;
  }
  await redis.hset(key, field, JSON.stringify(value));
}

async function insertReading(client: pg.Client, version: number, r: CleanReading): Promise<void> {
  const time = new Date(r.eventTimeMs);
  const attributes = r.attributes === undefined ? null : JSON.stringify(r.attributes);
  await client.query(
    `INSERT INTO readings (job_version, feed, key, event_time, event_id, measure, value, unit, source, attributes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (job_version, feed, key, event_time, event_id) DO UPDATE SET
       measure = EXCLUDED.measure, value = EXCLUDED.value, unit = EXCLUDED.unit,
       source = EXCLUDED.source, attributes = EXCLUDED.attributes`,
    [version, r.feed, r.key, time, r.eventId, r.measure, r.value, r.unit, r.source, attributes],
  );
  await client.query(
    `INSERT INTO series (job_version, feed, key, measure, unit, attributes, first_event_time, last_event_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (job_version, feed, key) DO UPDATE SET
       measure = CASE WHEN EXCLUDED.last_event_time >= series.last_event_time THEN EXCLUDED.measure ELSE series.measure END,
       unit = CASE WHEN EXCLUDED.last_event_time >= series.last_event_time THEN EXCLUDED.unit ELSE series.unit END,
       attributes = CASE WHEN EXCLUDED.last_event_time >= series.last_event_time THEN EXCLUDED.attributes ELSE series.attributes END,
       first_event_time = least(series.first_event_time, EXCLUDED.first_event_time),
       last_event_time = greatest(series.last_event_time, EXCLUDED.last_event_time)`,
    [version, r.feed, r.key, r.measure, r.unit, attributes, time],
  );
}

async function insertWindow(
  client: pg.Client,
  version: number,
  feed: Feed,
  w: WindowAggregate,
): Promise<void> {
  const pick = (name: string) => w.aggregates[name] ?? null;
  await client.query(
    `INSERT INTO window_aggregates (job, job_version, feed, key, window_start, window_end, event_count,
       avg, min, max, aggregates, firing, emitted_watermark_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (job, job_version, feed, key, window_start, window_end) DO UPDATE SET
       event_count = EXCLUDED.event_count, avg = EXCLUDED.avg, min = EXCLUDED.min, max = EXCLUDED.max,
       aggregates = EXCLUDED.aggregates, firing = EXCLUDED.firing,
       emitted_watermark_ms = EXCLUDED.emitted_watermark_ms`,
    [
      w.job,
      version,
      feed,
      w.key,
      new Date(w.windowStartMs),
      new Date(w.windowEndMs),
      w.count,
      pick('avg'),
      pick('min'),
      pick('max'),
      JSON.stringify(w.aggregates),
      w.firing,
      w.emittedAtWatermarkMs,
    ],
  );
}

async function insertAlert(client: pg.Client, version: number, a: Alert): Promise<void> {
  await client.query(
    `INSERT INTO alerts (job_version, alert_id, feed, key, level, value, thresholds, event_time, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (job_version, alert_id, event_time) DO NOTHING`,
    [
      version,
      a.alertId,
      a.feed,
      a.key,
      a.level,
      a.value,
      JSON.stringify(a.thresholds),
      new Date(a.eventTimeMs),
      a.message,
    ],
  );
}

async function deleteNamespace(redis: Redis, namespace: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `tl:${namespace}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
}
