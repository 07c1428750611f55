// The shared backlog every stage's benchmark starts from: N trades over 50 symbols on a fresh raw
// topic of 3 partitions, produced as ingest produces them (idempotent, acks from all replicas, the
// event time as the Kafka timestamp), ending with one trade per symbol a minute ahead so every real
// window closes. The same seed writes the same records, so several copies hold the same backlog.
import { Compression, createReliableProducer, ensureTopics, type CompressionName } from '@tideline/kafka';
import type { Kafka, Message } from 'kafkajs';
import { MarketFeed } from './market-feed.ts';
import { HoppingReference } from './reference-windows.ts';
import type { WindowRow } from './window-rows.ts';

export const BACKLOG_PARTITIONS = 3;

export interface BacklogOptions {
  topic: string;
  /** Trades before the closing ones (default 1,000,000). */
  events?: number;
  seed?: number;
  /** How fast event time advances: trades per second of event time (default 5,000). */
  eventsPerSecond?: number;
  /** Event time of the first trade (default three hours ago, on a whole second). */
  startMs?: number;
  /** Compression of the produced batches (default none: the engines pay no codec). */
  compression?: CompressionName;
  /** Windows of the reference results (the market job's: 3 s advancing by 1 s). */
  window?: { sizeMs: number; advanceMs: number };
}

export interface Backlog {
  topic: string;
  /** Records on the topic, closing trades included. */
  records: number;
  bytes: number;
  late: number;
  /** The market job's final rows for this backlog, keyed by rowKey. */
  expected: Map<string, WindowRow>;
  produceSeconds: number;
}

const BATCH = 5000;

export async function writeBacklog(kafka: Kafka, options: BacklogOptions): Promise<Backlog> {
  const events = options.events ?? 1_000_000;
  const eventsPerSecond = options.eventsPerSecond ?? 5000;
  const startMs = options.startMs ?? Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ topic: options.topic, partitions: BACKLOG_PARTITIONS }]);
  } finally {
    await admin.disconnect();
  }
  const feed = new MarketFeed({ seed: options.seed ?? 1 });
  const reference = new HoppingReference(options.window ?? { sizeMs: 3000, advanceMs: 1000 });
  const producer = createReliableProducer(kafka);
  await producer.connect();
  let bytes = 0;
  let late = 0;
  const started = performance.now();
  try {
    const send = async (messages: Message[]) => {
      await producer.send({
        topic: options.topic,
        acks: -1,
        compression: Compression[options.compression ?? 'none'],
        messages,
      });
    };
    let batch: Message[] = [];
    let clockMs = startMs;
    for (let i = 0; i < events; i++) {
      clockMs = startMs + (i * 1000) / eventsPerSecond;
      const event = feed.next(clockMs);
      if (event.late) late++;
      else reference.add(event.trade.symbol, event.trade.eventTimeMs, event.trade.price);
      bytes += event.value.length;
      batch.push({ key: event.key, value: event.value, timestamp: String(event.trade.eventTimeMs) });
      if (batch.length === BATCH) {
        await send(batch);
        batch = [];
      }
    }
    for (const event of feed.flush(clockMs)) {
      bytes += event.value.length;
      batch.push({ key: event.key, value: event.value, timestamp: String(event.trade.eventTimeMs) });
    }
    await send(batch);
  } finally {
    await producer.disconnect();
  }
  return {
    topic: options.topic,
    records: events + feed.symbols.length,
    bytes,
    late,
    expected: reference.rows(),
    produceSeconds: (performance.now() - started) / 1000,
  };
}
