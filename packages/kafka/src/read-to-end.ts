import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadToEndOptions {
  readonly topic: string;
  /** Only these partitions (default: all). */
  readonly partitions?: readonly number[];
  /** Prefix of the throwaway consumer group, deleted afterwards (a namespace keeps tests apart). */
  readonly groupPrefix: string;
  /** Default true: records of aborted or open transactions are never returned. */
  readonly readCommitted?: boolean;
  /** Called for every record, in offset order per partition. */
  readonly onMessage: (partition: number, message: KafkaMessage) => void;
}

/**
 * Reads a topic's partitions from their beginning to the end they had when the call started, then
 * returns. With read_committed, a partition can end in transaction markers that never reach the
 * consumer as records; kafkajs still ends a batch on them, and its end event says how far the batch
 * went, so a partition counts as read once a batch reaches its end offset, marker or not.
 */
export async function readToEnd(kafka: Kafka, options: ReadToEndOptions): Promise<void> {
  const { topic } = options;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}.read-${randomUUID()}`;
  try {
    const ends = new Map<number, bigint>();
    for (const o of await admin.fetchTopicOffsets(topic)) {
      if (options.partitions !== undefined && !options.partitions.includes(o.partition)) continue;
      if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
    }
    if (ends.size > 0) await consumeToEnds(kafka, groupId, options, ends);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consumeToEnds(
  kafka: Kafka,
  groupId: string,
  options: ReadToEndOptions,
  ends: Map<number, bigint>,
): Promise<void> {
  const { topic } = options;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: options.readCommitted === false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 8 << 20,
  });
  const remaining = new Set(ends.keys());
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = ends.get(payload.partition);
    if (payload.topic !== topic || end === undefined) return;
    if (
      BigInt(payload.lastOffset) + 1n >= end &&
      remaining.delete(payload.partition) &&
      remaining.size === 0
    ) {
      finish();
    }
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return;
        for (const m of batch.messages) if (BigInt(m.offset) < end) options.onMessage(batch.partition, m);
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
}
