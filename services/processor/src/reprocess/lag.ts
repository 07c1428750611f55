import type { Admin } from 'kafkajs';

/**
 * How far a consumer group is behind on its input topics: the sum over partitions of end offset minus
 * committed offset (from the partition's start when nothing is committed), and the sum of end offsets.
 */
export async function inputLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<{ lag: number; end: number; committed: boolean }> {
  let lag = 0;
  let end = 0;
  let committed = false;
  const groupOffsets = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    const mine = groupOffsets.find((g) => g.topic === topic)?.partitions ?? [];
    for (const o of offsets) {
      const c = mine.find((p) => p.partition === o.partition)?.offset ?? '-1';
      const from = c === '-1' ? BigInt(o.low) : BigInt(c);
      if (c !== '-1') committed = true;
      end += Number(o.high);
      lag += Math.max(0, Number(BigInt(o.high) - from));
    }
  }
  return { lag, end, committed: committed || lag === 0 };
}
