import type { Client } from '@elastic/elasticsearch';
import { dayOfIndex } from './views.ts';

const DAY_MS = 86_400_000;

/**
 * Retention without ILM (core Elasticsearch only): deletes this prefix's daily indices whose day ended
 * more than `retentionDays` ago. Returns the names deleted.
 */
export async function deleteExpiredIndices(
  client: Client,
  options: { prefix: string; retentionDays: number; nowMs: number },
): Promise<string[]> {
  if (options.retentionDays === 0) return [];
  const cutoff = Math.floor(options.nowMs / DAY_MS) * DAY_MS - options.retentionDays * DAY_MS;
  const indices = await client.indices.get({
    index: `${options.prefix}-*`,
    expand_wildcards: 'open',
    features: ['settings'],
  });
  const expired = Object.keys(indices).filter((index) => {
    const day = dayOfIndex(options.prefix, index);
    return day !== undefined && day + DAY_MS <= cutoff;
  });
  for (let i = 0; i < expired.length; i += 50) {
    await client.indices.delete({ index: expired.slice(i, i + 50).join(',') }, { ignore: [404] });
  }
  return expired;
}
