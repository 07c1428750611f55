// Deletes what a benchmark created: topics and consumer groups by name, Redis keys by prefix.
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';

/** Deletes the topics and consumer groups whose names satisfy `owned`; returns how many of each. */
export async function deleteKafkaResources(
  kafka: Kafka,
  owned: (name: string) => boolean,
): Promise<{ topics: number; groups: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((g) => g.groupId).filter(owned);
    if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
    const topics = (await admin.listTopics()).filter(owned);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 60_000 });
    return { topics: topics.length, groups: groupIds.length };
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every Redis key starting with `prefix` (SCAN, never KEYS). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
