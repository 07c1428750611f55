// Builds the query API for a test against the real PostgreSQL and Redis, in the seed's schema and namespace.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { loadConfig } from '@tideline/config';
import {
  withEventId,
  type GeotechReading,
  type Instrument,
  type MarketTrade,
  type TemperatureReading,
} from '@tideline/contracts';
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
  // Commands fail at once while Redis is connecting (no offline queue): the first request must not race it.
  if (env['REDIS_URL'] === undefined && app.redis.status !== 'ready') await once(app.redis, 'ready');
  // Likewise the latest-value cache: tests see the same path (cached, tracked) from the first request.
  if (env['REDIS_URL'] === undefined && env['LATEST_CACHE_MAX_ENTRIES'] !== '0') await untilTracking(app);
  return app;
}

/** Waits until Redis tracks the app's latest-value reads (at start, or after a connection was lost). */
export async function untilTracking(app: FastifyInstance, timeoutMs = 10_000): Promise<void> {
  await until(() => app.latestState.tracking, timeoutMs, 'latest-value tracking established');
}

/** Polls `check` every few milliseconds until it holds, failing after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

/** A piezometer reading as ingest writes it: the i-th of a series 10 s apart from `startMs`. */
export function geotechEvent(instrumentId: string, i: number, value: number, startMs = T0): GeotechReading {
  return withEventId({
    schemaVersion: 1,
    feed: 'geotech',
    instrumentId,
    instrumentType: 'piezometer',
    value,
    unit: 'kPa',
    eventTimeMs: startMs + i * 10_000,
    northing: 1,
    easting: 2,
    surfaceLevelM: 3,
    source: 'test',
  });
}

/** A trade as ingest writes it: the i-th of a series 1 s apart from `startMs`. */
export function tradeEvent(symbol: string, i: number, price: number, startMs = T0): MarketTrade {
  return withEventId({
    schemaVersion: 1,
    feed: 'market',
    symbol,
    side: 'BUY',
    price,
    quantity: 10,
    eventTimeMs: startMs + i * 1000,
    source: 'test',
  });
}

export function temperatureEvent(
  nodeId: string,
  eventTimeMs: number,
  temperatureC: number,
): TemperatureReading {
  return withEventId({
    schemaVersion: 1,
    feed: 'sensors',
    nodeId,
    temperatureC,
    eventTimeMs,
    source: 'test',
  });
}

/** A piezometer of the instrument catalogue, with the levels its readings are judged against. */
export function piezometer(id: string, alertLevel: number, alarmLevel: number): Instrument {
  return {
    id,
    type: 'piezometer',
    unit: 'kPa',
    location: { northing: 1, easting: 2 },
    surfaceLevelM: 3,
    alertLevel,
    alarmLevel,
    levelDirection: 'above',
  };
}
