import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor?: number;
  /** Retention in ms; -1 keeps forever (raw topics must keep enough for a Kappa replay). */
  retentionMs?: number;
  cleanupPolicy?: 'delete' | 'compact';
}

/**
 * Creates the topics that do not exist yet and leaves the others alone. Safe to call from several
 * processes at once: a topic created by someone else in between counts as success.
 * Returns the names it created.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor ?? 1,
        configEntries: [
          ...(spec.retentionMs === undefined
            ? []
            : [{ name: 'retention.ms', value: String(spec.retentionMs) }]),
          ...(spec.cleanupPolicy ? [{ name: 'cleanup.policy', value: spec.cleanupPolicy }] : []),
        ],
      })),
    });
  } catch (error) {
    // Another process may have won the race; only fail when a topic is still missing.
    const now = new Set(await admin.listTopics());
    if (missing.some((spec) => !now.has(spec.topic))) throw error;
  }
  return missing.map((spec) => spec.topic);
}
