// End-to-end latency of the whole pipeline at a fixed rate: from the moment a raw trade is handed to
// the producer (before the broker's ack, so the append is included) to the moment its reading is a row
// in PostgreSQL, and a searchable document in Elasticsearch (a search sees only refreshed documents).
// A sample of the trades (about 20 a second) is followed, both stores polled every 100 ms for them:
// the figures carry up to 100 ms of polling resolution.
import type { Kafka, Message } from 'kafkajs';
import { startLoad } from '../reliability/load.ts';
import { latencySummary } from './latency-summary.ts';
import { es, pgPool } from './stores.ts';

export interface E2eOptions {
  kafka: Kafka;
  rawTopic: string;
  eventsPerSecond: number;
  durationMs: number;
  postgresUrl: string;
  schema: string;
  elasticsearchUrl: string;
  indexPrefix: string;
  /** Samples sent in the first `warmupMs` are left out of the figures. */
  warmupMs?: number;
  /** How long to wait for the last samples after the load stops. */
  drainMs?: number;
}

export interface E2eResult {
  eventsPerSecond: number;
  sent: number;
  samples: number;
  postgres: { p50: number; p99: number; max: number; seen: number };
  elasticsearch: { p50: number; p99: number; max: number; seen: number };
}

const SAMPLES_PER_SECOND = 20;
const POLL_MS = 100;

export async function measureE2e(options: E2eOptions): Promise<E2eResult> {
  const every = Math.max(1, Math.round(options.eventsPerSecond / SAMPLES_PER_SECOND));
  const startedAt = Date.now();
  const warmupMs = options.warmupMs ?? 5000;
  const sentAt = new Map<string, number>();
  const pendingPg = new Set<string>();
  const pendingEs = new Set<string>();
  const pgLatency: number[] = [];
  const esLatency: number[] = [];
  let index = 0;
  const onSent = (messages: readonly Message[], atMs: number): void => {
    for (const message of messages) {
      if (index++ % every !== 0 || atMs - startedAt < warmupMs) continue;
      const id = (JSON.parse(String(message.value)) as { eventId: string }).eventId;
      sentAt.set(id, atMs);
      pendingPg.add(id);
      pendingEs.add(id);
    }
  };
  const pool = pgPool(options.postgresUrl);
  let polling = true;
  const pollPg = (async () => {
    while (polling || pendingPg.size > 0) {
      const ids = [...pendingPg];
      if (ids.length > 0) {
        const found = await pool
          .query<{
            event_id: string;
          }>(`SELECT event_id FROM "${options.schema}".readings WHERE event_id = ANY($1::text[])`, [ids])
          .catch(() => ({ rows: [] }));
        const now = Date.now();
        for (const { event_id } of found.rows) {
          if (!pendingPg.delete(event_id)) continue;
          pgLatency.push(now - (sentAt.get(event_id) ?? now));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const pollEs = (async () => {
    while (polling || pendingEs.size > 0) {
      const ids = [...pendingEs];
      if (ids.length > 0) {
        const found = await es<{ hits: { hits: { _source: { eventId: string } }[] } }>(
          'POST',
          `/${options.indexPrefix}-readings/_search`,
          { size: ids.length, _source: ['eventId'], query: { terms: { eventId: ids } } },
          options.elasticsearchUrl,
        ).catch(() => undefined);
        const now = Date.now();
        for (const hit of found?.hits.hits ?? []) {
          const id = hit._source.eventId;
          if (!pendingEs.delete(id)) continue;
          esLatency.push(now - (sentAt.get(id) ?? now));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const load = await startLoad(options.kafka, options.rawTopic, options.eventsPerSecond, 29, onSent);
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  const sent = await load.stop();
  // The closing trades are sampled too: they are ordinary trades a minute ahead.
  const drainUntil = Date.now() + (options.drainMs ?? 30_000);
  while ((pendingPg.size > 0 || pendingEs.size > 0) && Date.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  polling = false;
  pendingPg.clear();
  pendingEs.clear();
  await Promise.all([pollPg, pollEs]);
  await pool.end();
  return {
    eventsPerSecond: options.eventsPerSecond,
    sent,
    samples: sentAt.size,
    postgres: { ...latencySummary(pgLatency), seen: pgLatency.length },
    elasticsearch: { ...latencySummary(esLatency), seen: esLatency.length },
  };
}
