import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import type { StateChange } from '../jobs/job-task.ts';

/**
 * The changelog of a job: a compacted topic with one partition per input partition number. A task
 * (input topic, partition p) writes its changed state to partition p, inside the transaction that
 * carries its outputs and input offsets, so the changelog and the committed offsets never disagree.
 * A record's key is the JSON array [input topic, section, id]; its value the state as JSON, or null
 * (a tombstone) when the id holds nothing any more. Compaction keeps the latest value per key.
 */
export function changelogMessages(
  inputTopic: string,
  partition: number,
  changes: readonly StateChange[],
): Message[] {
  return changes.map((c) => ({
    key: JSON.stringify([inputTopic, c.section, c.id]),
    value: c.value === null ? null : JSON.stringify(c.value),
    partition,
  }));
}

export interface RestoreTarget {
  readonly topic: string;
  readonly partition: number;
}

export interface RestoreOptions {
  readonly kafka: Kafka;
  readonly changelogTopic: string;
  readonly targets: readonly RestoreTarget[];
  /** Prefix of the throwaway consumer group used to read the changelog. */
  readonly groupPrefix: string;
}

/**
 * Reads the changelog partitions the targets need, from their beginning to their end (read_committed,
 * so aborted writes of a fenced zombie are never restored), and returns the latest state of each
 * target: what compaction would keep. The caller fences the targets' transactional producers first,
 * so nothing is written to these partitions while they are read.
 */
export async function readChangelog(options: RestoreOptions): Promise<Map<string, StateChange[]>> {
  const { kafka, changelogTopic } = options;
  const wanted = new Map<number, Set<string>>();
  for (const t of options.targets) {
    let topics = wanted.get(t.partition);
    if (topics === undefined) wanted.set(t.partition, (topics = new Set()));
    topics.add(t.topic);
  }
  const latest = new Map<string, string | null>();
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}.restore-${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(changelogTopic);
    const ends = new Map<number, bigint>();
    for (const o of offsets) {
      if (wanted.has(o.partition) && BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
    }
    if (ends.size > 0) await readToEnds(kafka, groupId, changelogTopic, ends, wanted, latest);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  const byTask = new Map<string, StateChange[]>();
  for (const t of options.targets) byTask.set(taskKey(t.topic, t.partition), []);
  for (const [key, value] of latest) {
    if (value === null) continue;
    const [partitionText, topic, section, id] = JSON.parse(key) as [number, string, string, string];
    byTask.get(taskKey(topic, partitionText))?.push({ section, id, value: JSON.parse(value) });
  }
  return byTask;
}

export function taskKey(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}

async function readToEnds(
  kafka: Kafka,
  groupId: string,
  topic: string,
  ends: Map<number, bigint>,
  wanted: Map<number, Set<string>>,
  latest: Map<string, string | null>,
): Promise<void> {
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 8 << 20,
  });
  const remaining = new Set(ends.keys());
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  // Empty batches (only transaction markers) never reach eachBatch, but they do end a batch: the end
  // event tells when a partition's last offset, marker or not, has been read.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = ends.get(payload.partition);
    if (payload.topic !== topic || end === undefined) return;
    if (BigInt(payload.lastOffset) + 1n >= end && remaining.delete(payload.partition) && remaining.size === 0)
      finish();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const topics = wanted.get(batch.partition);
        if (topics === undefined) return;
        for (const m of batch.messages) {
          if (m.key === null) continue;
          const keyText = m.key.toString();
          const inputTopic = (JSON.parse(keyText) as [string])[0];
          if (!topics.has(inputTopic)) continue;
          // The partition is part of the fold's key: one input topic's tasks live in several partitions.
          latest.set(`[${batch.partition},${keyText.slice(1)}`, m.value === null ? null : m.value.toString());
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
}
