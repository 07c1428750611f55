// The whole pipeline as a user runs it, six services as processes in a namespace, a PostgreSQL schema
// and an index prefix of the test's own: the simulator (fixed seed) with faults injected (malformed and
// null fields, duplicates, disorder, late events), the processor killed with SIGKILL and restarted,
// sink-postgres killed and restarted, sink-elasticsearch stopped and restarted. Afterwards the history
// (through the query API) and the realtime view (Elasticsearch) equal a recomputation from the raw
// topic: every trade once, every closed window once with the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { topicNamer, type MarketTrade } from '@tideline/contracts';
import { createKafka } from '@tideline/kafka';
import { startService, type RunningService } from '../../scripts/lib/service-process.ts';
import { dropTestResources } from '../support/cleanup.ts';
import { stack } from '../support/env.ts';
import { rawTradesByPartition, recomputeMarketHopping } from '../support/market-job.ts';

const id = randomBytes(4).toString('hex');
const namer = topicNamer(`t-${id}`);
const ns = namer.namespace;
const pgSchema = `t_${id}`;
const indexPrefix = `t-${id}`;
const apiKey = `e2e-${id}-read-key-0123456789`;
const SYMBOLS = ['E2A', 'E2B', 'E2C'];
const port = (n: number) => 28_300 + n;
const CHROMIUM = '/usr/bin/chromium';
const kafka = createKafka({ clientId: 'e2e-pipeline', brokers: stack.kafkaBrokers });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Prices = { avg: number; min: number; max: number };
interface Row {
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

const env = {
  'source-api': {
    SOURCE_API_PORT: String(port(1)),
    SOURCE_API_LOG_LEVEL: 'warn',
    SOURCE_API_SEED: '42',
    SOURCE_API_SYMBOLS: SYMBOLS.join(','),
    SOURCE_API_MARKET_INTERVAL_MS: '50',
    SOURCE_API_HISTORY_MS: '2000',
    SOURCE_API_FAULT_MALFORMED_RATE: '0.02',
    SOURCE_API_FAULT_NULL_RATE: '0.02',
    SOURCE_API_FAULT_DUPLICATE_RATE: '0.03',
    SOURCE_API_FAULT_OUT_OF_ORDER_RATE: '0.05',
    SOURCE_API_FAULT_LATE_RATE: '0.02',
    SOURCE_API_FAULT_LATE_BY_MS: '8000',
  },
  ingest: {
    INGEST_PORT: String(port(2)),
    INGEST_LOG_LEVEL: 'warn',
    INGEST_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    INGEST_REDIS_URL: stack.redisUrl,
    INGEST_SOURCE_URL: `http://127.0.0.1:${port(1)}`,
    INGEST_TOPIC_NAMESPACE: ns,
    INGEST_FEEDS: 'market',
    INGEST_LEGACY_TOPICS: '',
    INGEST_POLL_INTERVAL_MS: '200',
    INGEST_CURSOR_KEY: `e2e:pipeline:${ns}`,
  },
  processor: {
    PROCESSOR_PORT: String(port(3)),
    PROCESSOR_LOG_LEVEL: 'warn',
    PROCESSOR_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    PROCESSOR_REDIS_URL: stack.redisUrl,
    PROCESSOR_TOPIC_NAMESPACE: ns,
    PROCESSOR_JOBS: 'market',
    PROCESSOR_CATALOGUE_URL: '',
    PROCESSOR_SESSION_TIMEOUT_MS: '6000',
  },
  'sink-postgres': {
    SINK_PG_PORT: String(port(5)),
    SINK_PG_LOG_LEVEL: 'warn',
    SINK_PG_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SINK_PG_TOPIC_NAMESPACE: ns,
    SINK_PG_GROUP_ID: `${ns}.sink-postgres`,
    SINK_PG_DATABASE_URL: stack.postgresUrl,
    SINK_PG_PG_SCHEMA: pgSchema,
    SINK_PG_TOPIC_REFRESH_MS: '1000',
  },
  'sink-elasticsearch': {
    SINK_ES_PORT: String(port(6)),
    SINK_ES_LOG_LEVEL: 'warn',
    SINK_ES_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    SINK_ES_TOPIC_NAMESPACE: ns,
    SINK_ES_GROUP_ID: `${ns}.sink-elasticsearch`,
    SINK_ES_ELASTICSEARCH_URL: stack.elasticsearchUrl,
    SINK_ES_INDEX_PREFIX: indexPrefix,
    SINK_ES_TOPIC_REFRESH_MS: '1000',
  },
  'query-api': {
    QUERY_API_PORT: String(port(4)),
    QUERY_API_LOG_LEVEL: 'warn',
    QUERY_API_PG_URL: stack.postgresUrl,
    QUERY_API_PG_SCHEMA: pgSchema,
    QUERY_API_REDIS_URL: stack.redisUrl,
    QUERY_API_STATE_NAMESPACE: ns,
    QUERY_API_API_KEYS: `${apiKey}:read`,
  },
} as const;
type Name = keyof typeof env;

const running = new Map<Name, RunningService>();
async function start(name: Name): Promise<void> {
  running.set(name, await startService(name, Number(Object.values(env[name])[0]), env[name], 120_000));
}

test(
  'the pipeline under faults and restarts: the history and the realtime view equal a recomputation from the raw log',
  { timeout: 600_000 },
  async (t) => {
    t.after(cleanup);
    for (const name of [
      'source-api',
      'sink-postgres',
      'sink-elasticsearch',
      'processor',
      'query-api',
      'ingest',
    ] as const) {
      await start(name);
    }
    await sleep(6000);
    await running.get('processor')?.stop('SIGKILL');
    await start('processor');
    await sleep(4000);
    await running.get('sink-postgres')?.stop('SIGKILL');
    await start('sink-postgres');
    await sleep(3000);
    await running.get('sink-elasticsearch')?.stop('SIGTERM');
    await start('sink-elasticsearch');
    // The live view while data flows: points arrive from the processor through Redis pub/sub.
    const live = await openLiveView(SYMBOLS[0] as string);
    t.after(() => live.close());
    // The input ends: what is on the raw topic now is what everything must reflect.
    await running.get('ingest')?.stop('SIGTERM');

    const trades = await rawTradesByPartition(kafka, namer.topicName({ kind: 'raw', feed: 'market' }), ns);
    const expected = recompute(trades);
    assert.ok(expected.readings.size > 500, `enough trades (${expected.readings.size})`);
    assert.ok(expected.windows.length > 30, `enough closed windows (${expected.windows.length})`);
    // A window can start up to its size (3 s) before the earliest event it holds.
    const range = { from: Math.min(...expected.times) - 3001, to: Math.max(...expected.times) + 10_000 };

    const history = await eventually(
      async () => {
        const readings = new Map<string, number>();
        const windows: Row[] = [];
        for (const symbol of SYMBOLS) {
          for (const item of await pages(`/v1/symbols/${symbol}/readings`, range)) {
            const eventId = item['eventId'] as string;
            readings.set(eventId, (readings.get(eventId) ?? 0) + 1);
          }
          for (const item of await pages(`/v1/symbols/${symbol}/windows`, {
            ...range,
            job: 'market-hopping',
          })) {
            windows.push({
              key: symbol,
              startMs: item['windowStartMs'] as number,
              endMs: item['windowEndMs'] as number,
              avg: item['avg'] as number,
              min: item['min'] as number,
              max: item['max'] as number,
              count: item['count'] as number,
            });
          }
        }
        return { readings, windows };
      },
      (h) => h.readings.size >= expected.readings.size && h.windows.length >= expected.windows.length,
    );
    assert.deepEqual(
      [...history.readings.values()].filter((n) => n !== 1),
      [],
      'no reading doubled',
    );
    assert.deepEqual(new Set(history.readings.keys()), expected.readings, 'no reading lost');
    assert.deepEqual(sorted(history.windows), sorted(expected.windows), 'windows equal the recomputation');

    const realtime = await eventually(
      async () => ({
        readings: await searchAll(`${indexPrefix}-readings`, { term: { feed: 'market' } }),
        windows: await searchAll(`${indexPrefix}-windows`, { term: { job: 'market-hopping' } }),
      }),
      (r) => r.readings.length >= expected.readings.size && r.windows.length >= expected.windows.length,
    );
    const docIds = realtime.readings.map((d) => d['eventId'] as string);
    assert.equal(new Set(docIds).size, docIds.length, 'no reading document doubled');
    assert.deepEqual(new Set(docIds), expected.readings, 'no reading document lost');
    const docWindows = realtime.windows.map((d) => {
      const a = d['aggregates'] as Prices;
      return {
        key: d['key'] as string,
        startMs: Date.parse(d['@timestamp'] as string),
        endMs: Date.parse(d['windowEnd'] as string),
        ...a,
        count: d['count'] as number,
      };
    });
    assert.deepEqual(
      sorted(docWindows),
      sorted(expected.windows),
      'window documents equal the recomputation',
    );

    // Every price the live page drew (history from PostgreSQL, then live points) is one the API serves.
    const drawn = await live.drawn();
    const served = new Map<number, number[]>();
    for (const item of await pages(`/v1/symbols/${SYMBOLS[0]}/readings`, range)) {
      const timeMs = item['timeMs'] as number;
      served.set(timeMs, [...(served.get(timeMs) ?? []), item['value'] as number]);
    }
    assert.ok(drawn.updates >= 3, `live points arrived (${drawn.updates})`);
    assert.ok(drawn.points.length >= 10, `the page drew a history and live points (${drawn.points.length})`);
    for (const [timeMs, value] of drawn.points) {
      assert.ok(served.get(timeMs)?.includes(value), `the point ${value} at ${timeMs} is served by the API`);
    }
  },
);

/**
 * Opens the query API's live page for a symbol in headless Chromium (Debian's package, driven by
 * playwright-core), waits until it is live and has received points, and keeps it open.
 */
async function openLiveView(symbol: string) {
  if (!existsSync(CHROMIUM)) {
    execFileSync(
      'bash',
      ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'],
      {
        stdio: 'inherit',
      },
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port(4)}/live?feed=market&key=${symbol}&api_key=${apiKey}`);
  await page.waitForFunction("document.getElementById('status')?.textContent?.includes('live')", null, {
    timeout: 30_000,
  });
  await page.waitForFunction('window.tideline.updates() >= 3', null, { timeout: 30_000 });
  return {
    async drawn(): Promise<{ updates: number; points: [number, number][] }> {
      const d = (await page.evaluate(
        '({ updates: window.tideline.updates(), ...window.tideline.drawn() })',
      )) as {
        updates: number;
        times: number[];
        series: Record<string, (number | null)[]>;
      };
      const prices = d.series['price'] ?? [];
      const points: [number, number][] = [];
      d.times.forEach((t, i) => {
        const v = prices[i];
        if (typeof v === 'number') points.push([Math.round(t * 1000), v]);
      });
      await mkdir(new URL('../output/', import.meta.url), { recursive: true });
      await page.screenshot({ path: new URL('../output/pipeline-live-view.png', import.meta.url).pathname });
      return { updates: d.updates, points };
    },
    close: () => browser.close(),
  };
}

/** A batch recomputation over the raw log: readings by event id, the closed windows, the event times. */
function recompute(byPartition: Map<number, MarketTrade[]>): {
  readings: Set<string>;
  windows: Row[];
  times: number[];
} {
  const trades = [...byPartition.values()].flat();
  return {
    readings: new Set(trades.map((t) => t.eventId)),
    windows: recomputeMarketHopping(byPartition),
    times: trades.map((t) => t.eventTimeMs),
  };
}

async function pages(
  path: string,
  query: Record<string, string | number>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({
      ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      limit: '1000',
    });
    if (cursor !== null) params.set('cursor', cursor);
    const response = await fetch(`http://127.0.0.1:${port(4)}${path}?${params}`, {
      headers: { 'x-api-key': apiKey },
    });
    assert.equal(response.status, 200, await response.clone().text());
    const page = (await response.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

async function searchAll(index: string, query: object): Promise<Record<string, unknown>[]> {
  await fetch(`${stack.elasticsearchUrl}/${index}/_refresh`, { method: 'POST' });
  const response = await fetch(`${stack.elasticsearchUrl}/${index}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, query }),
  });
  if (response.status === 404) return [];
  const body = (await response.json()) as { hits?: { hits: { _source: Record<string, unknown> }[] } };
  return (body.hits?.hits ?? []).map((h) => h._source);
}

/** Polls until `done` holds (the sinks catch up after their restarts) or two minutes pass; returns the last answer. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(1000);
  }
}

function sorted(rows: Row[]): Row[] {
  return rows
    .map((r) => ({
      key: r.key,
      startMs: r.startMs,
      endMs: r.endMs,
      avg: r.avg,
      min: r.min,
      max: r.max,
      count: r.count,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.startMs - b.startMs));
}

async function cleanup(): Promise<void> {
  await Promise.all([...running.values()].map((s) => s.stop('SIGTERM')));
  await dropTestResources({ namespace: ns, pgSchema, indexPrefix, redisPatterns: [`e2e:pipeline:${ns}`] });
}
