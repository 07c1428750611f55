// `pnpm bench ingest`: requests/s the source API serves, events/s ingest moves from the source into
// Kafka (batching and snappy on, acks from all in-sync replicas), and uploads: rows/s of one 16 MB
// trades CSV, and ingest's peak resident memory (VmHWM) while ten 16 MB uploads arrive at once.
// Each service is a separate process on this machine beside the broker, in a topic namespace of the
// bench's own (deleted at the end). Targets: 50,000 events/s; 80,000 upload rows/s; peak RSS < 300 MB.
//   pnpm bench ingest [seconds] [uploads]     (`uploads` measures only the uploads)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createKafka, deleteByPrefix } from '@tideline/kafka';
import type { BenchMetric } from '../scripts/bench.ts';
import { counterSum, startService, type RunningService } from '../scripts/lib/service-process.ts';

const SOURCE_PORT = 18081;
const INGEST_PORT = 18082;
const symbols = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`).join(',');

const UPLOAD_PORT = 18083;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const namespace = `bench-${randomBytes(4).toString('hex')}`;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export async function run(args: string[]): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  try {
    if (!args.includes('uploads')) metrics.push(...(await sourceToKafka(Number(args[0] ?? 20))));
    metrics.push(...(await uploads()));
  } finally {
    await deleteByPrefix(createKafka({ clientId: 'bench-cleanup', brokers }), {
      topicPrefix: `${namespace}.`,
      groupPrefixes: [`${namespace}-`],
    });
  }
  return metrics;
}

async function sourceToKafka(seconds: number): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  const source = await startService('source-api', SOURCE_PORT, {
    SOURCE_API_PORT: String(SOURCE_PORT),
    SOURCE_API_LOG_LEVEL: 'warn',
    SOURCE_API_SYMBOLS: symbols,
    SOURCE_API_MARKET_INTERVAL_MS: '10',
    SOURCE_API_HISTORY_MS: '600000',
  });
  try {
    for (const [label, route] of [
      ['GET /params/water_standpipe', '/params/water_standpipe'],
      ['GET /v1/market/trades?limit=100', '/v1/market/trades?limit=100'],
      ['GET /v1/market/trades?limit=10000', '/v1/market/trades?limit=10000'],
    ] as const) {
      const rate = await requestsPerSecond(`${source.url}${route}`, 5000, 16);
      metrics.push({ metric: `source-api ${label}`, value: rate, unit: 'req/s' });
    }

    const ingest = await startService('ingest', INGEST_PORT, {
      INGEST_PORT: String(INGEST_PORT),
      INGEST_LOG_LEVEL: 'warn',
      INGEST_FEEDS: 'market',
      INGEST_PAGE_LIMIT: '10000',
      INGEST_SOURCE_URL: source.url,
      INGEST_CURSOR_KEY: `bench:ingest:${namespace}`,
      INGEST_TOPIC_NAMESPACE: namespace,
      INGEST_LEGACY_TOPICS: '',
    });
    try {
      // Warm up (connections, JIT), then count what ingest produced over the measured interval.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const before = await counterSum(ingest.url, 'tideline_ingest_events_produced_total');
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const after = await counterSum(ingest.url, 'tideline_ingest_events_produced_total');
      const elapsed = (performance.now() - started) / 1000;
      const errors = await counterSum(ingest.url, 'tideline_ingest_source_errors_total');
      metrics.push(
        {
          metric: 'ingest events/s source → Kafka (pages of 10000, snappy, acks all)',
          value: (after - before) / elapsed,
          unit: 'events/s',
          target: '>= 50000',
        },
        { metric: 'ingest events produced in the interval', value: after - before, unit: 'events' },
        { metric: 'ingest failed polls', value: errors, unit: 'count', target: '0' },
      );
    } finally {
      await ingest.stop();
    }
  } finally {
    await source.stop();
  }
  return metrics;
}

/** Closed-loop load: `concurrency` workers issue requests back to back for `durationMs`. */
async function requestsPerSecond(url: string, durationMs: number, concurrency: number): Promise<number> {
  let completed = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) completed++;
      }
    }),
  );
  return completed / ((performance.now() - started) / 1000);
}

/** An ingest for uploads only (no polling), in the bench's namespace. */
function startUploadIngest(): Promise<RunningService> {
  return startService('ingest', UPLOAD_PORT, {
    INGEST_PORT: String(UPLOAD_PORT),
    INGEST_LOG_LEVEL: 'warn',
    INGEST_FEEDS: '',
    INGEST_LEGACY_TOPICS: '',
    INGEST_TOPIC_NAMESPACE: namespace,
    INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    INGEST_CURSOR_KEY: `bench:ingest:${namespace}`,
  });
}

/** A trades CSV in the original format, as large as the body limit allows, every row a distinct trade. */
function tradesCsv(symbol: string, bytes: number): { body: Buffer; rows: number } {
  const lines: string[] = [];
  let size = 0;
  const startMs = Date.UTC(2018, 7, 21);
  for (let i = 0; ; i++) {
    const line = `${symbol},${i % 2 ? 'BUY ' : 'SELL'},${(100 + (i % 1000) / 100).toFixed(2)},${i % 1000},${startMs + i},2018-08-21 10:21:12.066\n`;
    if (size + line.length > bytes) break;
    lines.push(line);
    size += line.length;
  }
  return { body: Buffer.from(lines.join('')), rows: lines.length };
}

/** POSTs a CSV, retrying after Retry-After while ingest answers 503; returns the accepted answer. */
async function upload(url: string, body: Buffer): Promise<{ produced: number; retries: number }> {
  for (let retries = 0; ; retries++) {
    const response = await fetch(`${url}/v1/ingest/market/trades-csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
    });
    const answer = (await response.json()) as { produced?: number };
    if (response.status === 202) return { produced: answer.produced ?? 0, retries };
    if (response.status !== 503)
      throw new Error(`upload answered ${response.status}: ${JSON.stringify(answer)}`);
    await new Promise((resolve) =>
      setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
    );
  }
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function uploads(): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  const csv = tradesCsv('UPL', MAX_BODY_BYTES);
  let ingest = await startUploadIngest();
  try {
    await upload(ingest.url, tradesCsv('WARM', 1024 * 1024).body); // connections and JIT
    const started = performance.now();
    const { produced } = await upload(ingest.url, csv.body);
    const seconds = (performance.now() - started) / 1000;
    if (produced !== csv.rows) throw new Error(`produced ${produced} of ${csv.rows} rows`);
    metrics.push(
      {
        metric: 'upload rows/s (one 16 MB trades CSV, snappy, acks all)',
        value: produced / seconds,
        unit: 'rows/s',
        target: '>= 80000',
      },
      { metric: 'upload rows in the 16 MB CSV', value: csv.rows, unit: 'rows' },
    );
  } finally {
    await ingest.stop();
  }
  // A fresh process, so that its high-water mark is the concurrent uploads' alone.
  ingest = await startUploadIngest();
  try {
    const pid = ingest.child.pid as number;
    const idleMb = peakRssMb(pid);
    const bodies = Array.from({ length: 10 }, (_, i) => tradesCsv(`CC${i}`, MAX_BODY_BYTES).body);
    const started = performance.now();
    const results = await Promise.all(bodies.map((body) => upload(ingest.url, body)));
    const seconds = (performance.now() - started) / 1000;
    const rows = results.reduce((sum, r) => sum + r.produced, 0);
    metrics.push(
      {
        metric: 'upload peak RSS, ten concurrent 16 MB uploads (VmHWM)',
        value: peakRssMb(pid),
        unit: 'MB',
        target: '< 300',
      },
      { metric: 'upload RSS at start (VmHWM before the uploads)', value: idleMb, unit: 'MB' },
      { metric: 'upload rows/s, ten concurrent 16 MB uploads', value: rows / seconds, unit: 'rows/s' },
      {
        metric: 'upload 503 retries among the ten',
        value: results.reduce((sum, r) => sum + r.retries, 0),
        unit: 'count',
      },
    );
  } finally {
    await ingest.stop();
  }
  return metrics;
}
