// Builds the query API for a test against the real PostgreSQL and Redis, in the seed's schema and namespace.
import { Writable } from 'node:stream';
import { loadConfig } from '@tideline/config';
import { alertIdFor, type Alert, type CleanReading, type WindowAggregate } from '@tideline/contracts';
import { createLogger } from '@tideline/logging';
import type { FastifyInstance } from 'fastify';
import { build, QueryApiConfigSchema } from '../../src/app.ts';
import { PG_URL, REDIS_URL, type Seeded } from './seed.ts';

export const READ_KEY = 'read-key-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';

/** Log lines the app wrote, for tests that check what is (not) logged. */
export const logLines: string[] = [];

export async function buildApp(seeded: Seeded, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig(
    QueryApiConfigSchema,
    {
      QUERY_API_PG_URL: PG_URL,
      QUERY_API_REDIS_URL: REDIS_URL,
      QUERY_API_PG_SCHEMA: seeded.pgSchema,
      QUERY_API_STATE_NAMESPACE: seeded.namespace,
      QUERY_API_API_KEYS: `${READ_KEY}:read,${ADMIN_KEY}:read+admin`,
      QUERY_API_RATE_LIMIT_MAX: '100000',
      QUERY_API_LOG_LEVEL: 'info',
      // Load shedding is tested on its own; elsewhere a busy shared machine must not turn answers into 503s.
      QUERY_API_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [`QUERY_API_${k}`, v])),
    },
    { prefix: 'QUERY_API_' },
  );
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      if (logLines.length > 5000) logLines.splice(0, 1000);
      done();
    },
  });
  const app = await build({
    config,
    // Debug: the request lines are written, so the key-redaction test sees them.
    logger: createLogger({ service: 'query-api', level: 'debug', destination }),
  });
  await app.ready();
  return app;
}

export const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

export function geotechReading(key: string, i: number, value: number, attributes = {}): CleanReading {
  return {
    schemaVersion: 1,
    eventId: `e-${key}-${i}`,
    feed: 'geotech',
    key,
    measure: 'piezometer',
    value,
    unit: 'kPa',
    eventTimeMs: T0 + i * 10_000,
    source: 'test',
    attributes: {
      northing: 1,
      easting: 2,
      surfaceLevelM: 3,
      alertLevel: 50,
      alarmLevel: 80,
      levelDirection: 'rising',
      ...attributes,
    },
  };
}

export function trade(symbol: string, i: number, price: number): CleanReading {
  return {
    schemaVersion: 1,
    eventId: `t-${symbol}-${i}`,
    feed: 'market',
    key: symbol,
    measure: 'price',
    value: price,
    unit: 'AUD',
    eventTimeMs: T0 + i * 1000,
    source: 'test',
    attributes: { side: 'BUY', quantity: 10 },
  };
}

export function windowOf(
  job: string,
  key: string,
  startMs: number,
  endMs: number,
  aggregates: Record<string, number | null>,
  count: number,
): WindowAggregate {
  return {
    schemaVersion: 1,
    job,
    key,
    windowStartMs: startMs,
    windowEndMs: endMs,
    aggregates,
    count,
    firing: 'final',
    emittedAtWatermarkMs: endMs,
  };
}

export function alertOf(
  key: string,
  level: Alert['level'],
  eventTimeMs: number,
  value: number | null = 60,
): Alert {
  const base = { feed: 'geotech' as const, key, level, eventTimeMs };
  return {
    schemaVersion: 1,
    alertId: alertIdFor(base),
    ...base,
    value,
    thresholds: { alertLevel: 50, alarmLevel: 80 },
    message: `${key} ${level}`,
  };
}
