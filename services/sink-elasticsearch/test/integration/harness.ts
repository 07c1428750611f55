import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '@tideline/config';
import { topicNamer } from '@tideline/contracts';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import {
  buildSinkElasticsearch,
  deleteTemplates,
  SinkElasticsearchConfigSchema,
  type SinkElasticsearchConfig,
} from '../../src/app.ts';

export { waitFor } from '@tideline/service-kit';

export const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(
  ',',
);
export const elasticsearchUrl =
  process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`;
export const kafka = createKafka({ clientId: 'sink-elasticsearch-it', brokers });

/** A namespace, index prefix and group no other run uses; `cleanup` deletes topics, indices and templates. */
export function isolation() {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const namespace = `t-${id}`;
  const prefix = `t-${id}`;
  const groupId = `t-${id}-sink-elasticsearch`;
  return {
    namespace,
    namer: topicNamer(namespace),
    prefix,
    groupId,
    async cleanup(): Promise<void> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
        if (topics.length > 0) await admin.deleteTopics({ topics });
        await admin.deleteGroups([groupId]).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
      const client = new Client({ node: elasticsearchUrl });
      // Wildcard deletes are refused (action.destructive_requires_name): delete by name.
      const indices = Object.keys(
        await client.indices.get({ index: `${prefix}-*`, expand_wildcards: 'all' }),
      );
      if (indices.length > 0) await client.indices.delete({ index: indices.join(',') }, { ignore: [404] });
      await deleteTemplates(client, prefix);
      await client.close();
    },
  };
}

export async function startSink(env: Record<string, string>) {
  const config: SinkElasticsearchConfig = loadConfig(
    SinkElasticsearchConfigSchema,
    {
      SINK_ES_KAFKA_BROKERS: brokers.join(','),
      SINK_ES_ELASTICSEARCH_URL: elasticsearchUrl,
      SINK_ES_TOPIC_REFRESH_MS: '500',
      SINK_ES_RETRY_INITIAL_MS: '100',
      SINK_ES_RETRY_MAX_MS: '1000',
      SINK_ES_REQUEST_TIMEOUT_MS: '3000',
      SINK_ES_METRICS_INTERVAL_MS: '1000',
      ...env,
    },
    { prefix: 'SINK_ES_' },
  );
  const logger = createLogger({
    service: 'sink-elasticsearch-test',
    level: process.env.TEST_LOG_LEVEL ?? 'warn',
  });
  const sink = buildSinkElasticsearch(config, { logger, kafka });
  await sink.app.ready();
  return { ...sink, config, close: () => sink.app.close() };
}

/** Documents per view alias, after a refresh (what a Kibana user would see). */
export async function countDocs(client: Client, prefix: string) {
  const views = ['readings', 'windows', 'alerts', 'late', 'deadletters'] as const;
  const out: Record<(typeof views)[number], number> = {
    readings: 0,
    windows: 0,
    alerts: 0,
    late: 0,
    deadletters: 0,
  };
  await client.indices.refresh({ index: `${prefix}-*` }, { ignore: [404] });
  for (const view of views) out[view] = await countOf(client, `${prefix}-${view}`);
  return out;
}

/**
 * A count that waits out a daily index the sink has just created: until its shard has started, a search
 * fails with search_phase_execution_exception.
 */
export async function countOf(client: Client, index: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client.count({ index }, { ignore: [404] })).count ?? 0;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Every document of a view alias, by _id. */
export async function allDocs(client: Client, alias: string): Promise<Map<string, Record<string, unknown>>> {
  const docs = new Map<string, Record<string, unknown>>();
  const response = await client.search<Record<string, unknown>>({
    index: alias,
    size: 10_000,
    query: { match_all: {} },
  });
  for (const hit of response.hits.hits) docs.set(hit._id!, hit._source!);
  return docs;
}
