// `pnpm bench query`: loopback load (autocannon) on the query API, as a separate process beside
// PostgreSQL and Redis: a 24-hour history at 1-minute resolution (500 req/s, target p99 < 50 ms) and
// the latest value (2,000 req/s, target p99 < 10 ms), with error rates (target 0). The rates are steady
// (autocannon with the `pace` patch); the same loads in autocannon's per-second bursts are printed too,
// without a target. The data goes into a schema and a Redis namespace of the bench's own, removed
// afterwards; the schema is migrated as sink-postgres migrates it, readings_1m filled by its backfill.
//   pnpm bench query [seconds per run, default 10]
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { Feed, LatestField, stateKeys } from '@tideline/contracts';
import autocannon from 'autocannon';
import './lib/autocannon-pace.ts';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BenchMetric } from '../scripts/bench.ts';
import { startService, type RunningService } from '../scripts/lib/service-process.ts';
import { deleteRedisKeys } from './lib/cleanup.ts';
import { stack } from './lib/stack.ts';
import { dropSchema, stores } from './lib/stores.ts';

// Another worktree's bench on the same port would answer this one's readiness probe and its load:
// BENCH_QUERY_PORT sets another.
const PORT = Number(process.env.BENCH_QUERY_PORT ?? 18084);
const KEY = 'bench-key-0123456789abcdef';
const INSTRUMENTS = 20;
const READING_EVERY_S = 10;
const DAY_MS = 86_400_000;
const migrations = new URL('../services/sink-postgres/migrations/', import.meta.url);

export async function run(args: string[]): Promise<BenchMetric[]> {
  const seconds = Number(args[0] ?? 10);
  const suffix = randomBytes(4).toString('hex');
  const schema = `bench_${suffix}`;
  const namespace = `bench-${suffix}`;
  const toMs = Math.floor(Date.now() / 60_000) * 60_000;
  const fromMs = toMs - DAY_MS;
  const client = new pg.Client({ connectionString: stores.postgresUrl });
  await client.connect();
  const redis = new Redis(stack.redisUrl);
  const metrics: BenchMetric[] = [];
  try {
    const rows = await seed(client, redis, schema, namespace, fromMs, toMs);
    metrics.push({
      metric: 'seeded readings (24 h, 20 instruments, one per 10 s)',
      value: rows,
      unit: 'rows',
    });
    const env = (cacheMs: number) => ({
      QUERY_API_PORT: String(PORT),
      QUERY_API_LOG_LEVEL: 'warn',
      QUERY_API_PG_SCHEMA: schema,
      QUERY_API_STATE_NAMESPACE: namespace,
      QUERY_API_API_KEYS: `${KEY}:read`,
      QUERY_API_RATE_LIMIT_MAX: '100000000',
      QUERY_API_HISTORY_CACHE_MS: String(cacheMs),
    });
    const history = (i: number) =>
      `/v1/instruments/B${String(i % INSTRUMENTS).padStart(3, '0')}/readings?from=${fromMs}&to=${toMs}&resolution=1m&limit=1440`;
    const latest = (i: number) => `/v1/instruments/B${String(i % INSTRUMENTS).padStart(3, '0')}/latest`;

    let api = await startService('query-api', PORT, env(1000));
    try {
      await load(api, history, 50, 2); // warm-up: JIT, pool connections, plans
      metrics.push(...(await measured('history 24 h @ 1 m', api, history, 500, seconds, 50)));
      await load(api, latest, 200, 2);
      metrics.push(...(await measured('latest value', api, latest, 2000, seconds, 10)));
      metrics.push(await cacheHitRatio(api));
      // The same loads sent as autocannon's own rate limiting sends them: each connection's quota for a
      // second back to back at the start of the second. No target: that is full speed in bursts, not the
      // stated rate, but it shows how the API copes with bursts (and compares with earlier figures).
      metrics.push(
        ...(await measured('history 24 h @ 1 m, per-second bursts', api, history, 500, seconds)),
        ...(await measured('latest value, per-second bursts', api, latest, 2000, seconds)),
      );
    } finally {
      await api.stop();
    }
    // The same history load without the 1 s result cache: what PostgreSQL itself sustains.
    api = await startService('query-api', PORT, env(0));
    try {
      await load(api, history, 50, 2);
      metrics.push(
        ...(await measured('history 24 h @ 1 m, no result cache', api, history, 500, seconds, 50)),
      );
    } finally {
      await api.stop();
    }
  } finally {
    await client.end();
    redis.disconnect();
    await dropSchema(schema);
    await deleteRedisKeys(stack.redisUrl, `tl:${namespace}:`);
  }
  return metrics;
}

async function measured(
  label: string,
  api: RunningService,
  path: (i: number) => string,
  rate: number,
  seconds: number,
  /** The p99 target of a paced run; without one the run sends autocannon's per-second bursts. */
  p99TargetMs?: number,
): Promise<BenchMetric[]> {
  const result = await load(api, path, rate, seconds, p99TargetMs !== undefined);
  const errors = result.errors + result.timeouts + result.non2xx;
  // Where errors come from: each status other than 200 and each socket error, counted.
  const statuses = Object.entries(
    (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {},
  )
    .filter(([code]) => code !== '200')
    .map(([code, { count }]) => ({
      metric: `${label}: answers with status ${code}`,
      value: count,
      unit: 'count',
    }));
  if (result.errors + result.timeouts > 0)
    statuses.push({
      metric: `${label}: socket errors and timeouts`,
      value: result.errors + result.timeouts,
      unit: 'count',
    });
  return [
    ...statuses,
    {
      metric: `${label}: p99 latency at ${rate} req/s`,
      value: result.latency.p99,
      unit: 'ms',
      ...(p99TargetMs === undefined ? {} : { target: `< ${p99TargetMs}` }),
    },
    { metric: `${label}: p50 latency`, value: result.latency.p50, unit: 'ms' },
    { metric: `${label}: achieved rate`, value: result.requests.average, unit: 'req/s', target: `${rate}` },
    {
      metric: `${label}: error rate`,
      value: errors / Math.max(1, errors + result['2xx']),
      unit: 'ratio',
      target: '0',
    },
  ];
}

/** How many latest-value reads (warm-up included) the client-side cache answered, from /metrics. */
async function cacheHitRatio(api: RunningService): Promise<BenchMetric> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const count = (result: string) =>
    Number(
      new RegExp(`^tideline_query_latest_cache_total\\{result="${result}"[^}]*\\} (\\S+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  const hits = count('hit');
  return {
    metric: 'latest value: answered from the client-side cache',
    value: hits / Math.max(1, hits + count('miss') + count('untracked')),
    unit: 'ratio',
  };
}

/**
 * A fixed request rate over keep-alive connections, rotating the series: paced (each connection one
 * request every connections / rate seconds; see bench/lib/autocannon-pace.ts) or in autocannon's
 * per-second bursts.
 */
function load(
  api: RunningService,
  path: (i: number) => string,
  rate: number,
  seconds: number,
  pace = true,
): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url: api.url,
    connections: Math.max(10, Math.ceil(rate / 50)),
    overallRate: rate,
    pace,
    duration: seconds,
    headers: { 'x-api-key': KEY },
    requests: [{ setupRequest: (request) => ({ ...request, path: path(i++) }) }],
  });
}

async function seed(
  client: pg.Client,
  redis: Redis,
  schema: string,
  namespace: string,
  fromMs: number,
  toMs: number,
): Promise<number> {
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  // The schema sink-postgres migrates to: the first migration, one default partition per table, the
  // readings, then the later migrations in order, as on a sink upgraded over stored data (the rollup's
  // migration mirrors the partitions of readings and backfills it from them).
  const [first, ...later] = (await readdir(migrations)).filter((f) => f.endsWith('.sql')).sort();
  const upOf = async (file: string) => {
    const sql = await readFile(new URL(file, migrations), 'utf8');
    return sql.slice(sql.indexOf('-- Up Migration'), sql.indexOf('-- Down Migration'));
  };
  await client.query(await upOf(first as string));
  for (const table of ['readings', 'window_aggregates', 'alerts'])
    await client.query(`CREATE TABLE ${table}_default PARTITION OF ${table} DEFAULT`);
  const inserted = await client.query(
    `INSERT INTO readings (job_version, feed, key, event_time, event_id, measure, value, unit, source, attributes)
     SELECT 1, 'geotech', 'B' || lpad(i::text, 3, '0'), t, md5(i::text || t::text), 'piezometer',
            50 + 10 * sin(extract(epoch FROM t) / 3600 + i), 'kPa', 'bench', '{"alertLevel": 60, "alarmLevel": 70}'
     FROM generate_series(0, $3 - 1) AS i,
          generate_series(to_timestamp($1 / 1000.0), to_timestamp($2 / 1000.0) - interval '1 ms', make_interval(secs => $4)) AS t`,
    [fromMs, toMs, INSTRUMENTS, READING_EVERY_S],
  );
  await client.query(
    `INSERT INTO series (job_version, feed, key, measure, unit, attributes, first_event_time, last_event_time)
     SELECT 1, feed, key, 'piezometer', 'kPa', '{}', min(event_time), max(event_time) FROM readings GROUP BY feed, key`,
  );
  for (const file of later) await client.query(await upOf(file));
  await client.query('ANALYZE readings');
  await client.query('ANALYZE readings_1m');
  const keys = stateKeys(namespace);
  for (let i = 0; i < INSTRUMENTS; i++) {
    const key = `B${String(i).padStart(3, '0')}`;
    const reading = {
      schemaVersion: 1,
      eventId: `bench-${i}`,
      feed: 'geotech',
      key,
      measure: 'piezometer',
      value: 50 + i,
      unit: 'kPa',
      eventTimeMs: toMs - 1,
      source: 'bench',
      attributes: { alertLevel: 60, alarmLevel: 70 },
    };
    await redis.hset(keys.latest(Feed.geotech, key), LatestField.reading, JSON.stringify(reading));
  }
  return inserted.rowCount ?? 0;
}
