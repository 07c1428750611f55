import { readToEnd } from '@tideline/kafka';
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
  const wanted = new Map<number, Set<string>>();
  for (const t of options.targets) {
    let topics = wanted.get(t.partition);
    if (topics === undefined) wanted.set(t.partition, (topics = new Set()));
    topics.add(t.topic);
  }
  // The fold's key includes the partition: one input topic's tasks live in several partitions.
  const latest = new Map<string, string | null>();
  await readToEnd(options.kafka, {
    topic: options.changelogTopic,
    partitions: [...wanted.keys()],
    groupPrefix: options.groupPrefix,
    onMessage: (partition, m) => {
      if (m.key === null) return;
      const keyText = m.key.toString();
      const inputTopic = (JSON.parse(keyText) as [string])[0];
      if (!wanted.get(partition)?.has(inputTopic)) return;
      latest.set(`[${partition},${keyText.slice(1)}`, m.value === null ? null : m.value.toString());
    },
  });
  const byTask = new Map<string, StateChange[]>();
  for (const t of options.targets) byTask.set(taskKey(t.topic, t.partition), []);
  for (const [key, value] of latest) {
    if (value === null) continue;
    const [partition, topic, section, id] = JSON.parse(key) as [number, string, string, string];
    byTask.get(taskKey(topic, partition))?.push({ section, id, value: JSON.parse(value) });
  }
  return byTask;
}

export function taskKey(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}
