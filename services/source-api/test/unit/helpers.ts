// Builds the app the way main.ts does, with a silent logger and a clock the test controls.
import supertest from 'supertest';
import { loadConfig } from '@tideline/config';
import { createLogger } from '@tideline/logging';
import type { FastifyInstance } from 'fastify';
import { buildSourceApi } from '../../src/app.ts';
import { CONFIG_PREFIX, SourceApiConfigSchema, type SourceApiConfig } from '../../src/config.ts';

/** 2025-01-15T12:00:00Z: a fixed "now" so answers are reproducible. */
export const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface TestClock {
  nowMs: number;
}

export function testConfig(env: Record<string, string> = {}): SourceApiConfig {
  const prefixed = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [`${CONFIG_PREFIX}${key}`, value]),
  );
  return loadConfig(SourceApiConfigSchema, prefixed, { prefix: CONFIG_PREFIX });
}

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  http: ReturnType<typeof supertest>;
  close: () => Promise<void>;
}

export async function startApp(env: Record<string, string> = {}, nowMs = NOW_MS): Promise<TestApp> {
  const clock: TestClock = { nowMs };
  const app = buildSourceApi(testConfig(env), {
    logger: createLogger({ service: 'source-api-test', level: 'silent' }),
    clock: () => clock.nowMs,
  });
  await app.ready();
  return { app, clock, http: supertest(app.server), close: () => app.close() };
}

export interface PageBody<T = Record<string, unknown>> {
  items: T[];
  nextCursor: string;
}

/** Follows cursors from `first` until `total` items are read or a page comes back empty. */
export async function drain<T = Record<string, unknown>>(
  t: TestApp,
  path: string,
  pageSize: number,
  total: number,
  extra = '',
): Promise<{ items: T[]; cursor: string }> {
  const items: T[] = [];
  let cursor = '';
  while (items.length < total) {
    const since = cursor === '' ? '' : `&since=${cursor}`;
    const response = await t.http.get(
      `${path}?limit=${Math.min(pageSize, total - items.length)}${since}${extra}`,
    );
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
    const body = response.body as PageBody<T>;
    items.push(...body.items);
    cursor = body.nextCursor;
    if (body.items.length === 0) break;
  }
  return { items, cursor };
}
