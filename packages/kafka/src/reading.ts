import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { deleteGroups } from './cleanup.ts';

/** endOffsets with an admin client of its own, connected for the call. */
export async function fetchEndOffsets(
  kafka: Kafka,
  topics: readonly string[],
): Promise<Map<string, Map<number, string>>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await endOffsets(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The next offset of each partition of each topic: where records produced from now on will land.
 * A topic that does not exist yet gets an empty map (read it from its beginning once created).
 */
export async function endOffsets(
  admin: Admin,
  topics: readonly string[],
): Promise<Map<string, Map<number, string>>> {
  const existing = new Set(await admin.listTopics());
  const entries = await Promise.all(
    topics.map(async (topic) => {
      if (!existing.has(topic)) return [topic, new Map<number, string>()] as const;
      const offsets = await admin.fetchTopicOffsets(topic);
      return [topic, new Map(offsets.map((o) => [o.partition, o.offset]))] as const;
    }),
  );
  return new Map(entries);
}

export interface CollectOptions {
  topic: string;
  /** Start per partition (from endOffsets); partitions not listed are read from the beginning. */
  from?: Map<number, string>;
  /** Stop once this returns true for what was collected so far. */
  until: (messages: readonly CollectedMessage[]) => boolean;
  timeoutMs: number;
  readCommitted?: boolean;
}

export interface CollectedMessage {
  partition: number;
  offset: string;
  key: string | undefined;
  value: string | undefined;
  timestamp: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic with a throwaway consumer group until `until` is satisfied or the time is up, and
 * returns what it read. For tests, tools and benchmarks that check what landed on a topic. The group
 * is deleted afterwards, so nothing is left behind on the broker.
 */
export async function collectMessages(kafka: Kafka, options: CollectOptions): Promise<CollectedMessage[]> {
  const groupId = `collect-${options.topic}-${process.hrtime.bigint()}`;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: options.readCommitted === false,
    maxWaitTimeInMs: 200,
  });
  const messages: CollectedMessage[] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        // Records before the start can arrive until the seek below takes effect.
        const start = options.from?.get(partition);
        if (start !== undefined && BigInt(message.offset) < BigInt(start)) return;
        messages.push(toCollected(partition, message));
        if (options.until(messages)) resolveDone();
      },
    });
    for (const [partition, offset] of options.from ?? [])
      consumer.seek({ topic: options.topic, partition, offset });
    const timer = setTimeout(resolveDone, options.timeoutMs);
    await done;
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await deleteGroups(admin, [groupId]);
    } finally {
      await admin.disconnect();
    }
  }
  return messages;
}

function toCollected(partition: number, message: KafkaMessage): CollectedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value?.toString(),
    timestamp: message.timestamp,
    headers,
  };
}
