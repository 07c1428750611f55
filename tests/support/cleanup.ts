// Removes everything a test run of the whole pipeline made: its topics and consumer groups, its
// PostgreSQL schema, its Elasticsearch indices and templates, its Redis keys. Names are the run's own
// (a namespace, a schema, an index prefix), so nothing a user runs is touched.
import { createKafka, deleteByPrefix } from '@tideline/kafka';
import { Redis } from 'ioredis';
import pg from 'pg';
import { stack } from './env.ts';

export interface TestResources {
  /** Topic namespace; consumer groups starting with it are deleted too. */
  readonly namespace: string;
  readonly pgSchema?: string;
  readonly indexPrefix?: string;
  /** Redis key patterns (SCAN MATCH syntax). */
  readonly redisPatterns?: readonly string[];
}

export async function dropTestResources(resources: TestResources): Promise<void> {
  const { namespace } = resources;
  await deleteByPrefix(createKafka({ clientId: 'test-cleanup', brokers: stack.kafkaBrokers }), {
    topicPrefix: `${namespace}.`,
    groupPrefixes: [`${namespace}.`, `${namespace}-`],
  });
  if (resources.pgSchema !== undefined) {
    if (!/^t_[a-z0-9_]+$/.test(resources.pgSchema)) throw new Error(`refusing to drop ${resources.pgSchema}`);
    const client = new pg.Client({ connectionString: stack.postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${resources.pgSchema} CASCADE`);
    await client.end();
  }
  if (resources.indexPrefix !== undefined) await dropIndices(resources.indexPrefix);
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`tl:${namespace}:*`, ...(resources.redisPatterns ?? [])]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Elasticsearch refuses wildcard deletes (action.destructive_requires_name): indices go by name. */
async function dropIndices(prefix: string): Promise<void> {
  const es = stack.elasticsearchUrl;
  const listed = await fetch(`${es}/_cat/indices/${prefix}-*?format=json`);
  const indices = listed.ok ? ((await listed.json()) as { index: string }[]) : [];
  for (const { index } of indices) await fetch(`${es}/${index}`, { method: 'DELETE' });
  for (const kind of ['_index_template', '_component_template']) {
    const response = await fetch(`${es}/${kind}/${prefix}-*`);
    if (!response.ok) continue;
    const body = (await response.json()) as Record<string, { name: string }[]>;
    for (const { name } of Object.values(body).flat())
      await fetch(`${es}/${kind}/${name}`, { method: 'DELETE' });
  }
}
