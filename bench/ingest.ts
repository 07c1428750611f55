// `pnpm bench ingest`: requests/s the source API serves, and events/s ingest moves from the source
// into Kafka (batching and snappy on, acks from all in-sync replicas), both as separate processes
// on this machine beside the broker. Target: at least 50,000 events/s produced.
import { randomBytes } from 'node:crypto';
import type { BenchMetric } from '../scripts/bench.ts';
import { counterSum, startService } from '../scripts/lib/service-process.ts';

const SOURCE_PORT = 18081;
const INGEST_PORT = 18082;
const symbols = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`).join(',');

export async function run(args: string[]): Promise<BenchMetric[]> {
  const seconds = Number(args[0] ?? 20);
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
      INGEST_CURSOR_KEY: `bench:ingest:${randomBytes(4).toString('hex')}`,
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
