// A producer at a fixed rate for latency runs: trades stamped with the wall clock (minus the feed's
// disorder) on a topic whose timestamps are the broker's append times, so a consumer of the topic
// knows when each record became readable.
import { createReliableProducer } from '@tideline/kafka';
import type { Kafka, Message } from 'kafkajs';
import { MarketFeed } from './market-feed.ts';

export interface FixedRateOptions {
  topic: string;
  eventsPerSecond: number;
  durationMs: number;
  seed?: number;
  partitions?: number;
}

const TICK_MS = 10;

/** Creates `topic` with log-append timestamps (3 partitions by default). */
export async function createAppendTimeTopic(kafka: Kafka, topic: string, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces `eventsPerSecond` for `durationMs`, a batch every 10 ms (catching up when a send was
 * slow). Resolves with the number of records sent.
 */
export async function produceAtFixedRate(kafka: Kafka, options: FixedRateOptions): Promise<number> {
  const feed = new MarketFeed({ seed: options.seed ?? 2 });
  const producer = createReliableProducer(kafka);
  await producer.connect();
  let sent = 0;
  try {
    const started = performance.now();
    const startedAtMs = Date.now();
    for (;;) {
      const elapsed = performance.now() - started;
      if (elapsed >= options.durationMs) break;
      const due = Math.floor((elapsed / 1000) * options.eventsPerSecond) - sent;
      if (due > 0) {
        const messages: Message[] = [];
        const clockMs = startedAtMs + elapsed;
        for (let i = 0; i < due; i++) {
          const event = feed.next(clockMs);
          messages.push({ key: event.key, value: event.value });
        }
        await producer.send({ topic: options.topic, acks: -1, messages });
        sent += due;
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
