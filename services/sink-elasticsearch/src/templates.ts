import type { Client } from '@elastic/elasticsearch';
import { Mappings } from './mappings.ts';
import { aliasName, indexPattern, View } from './views.ts';

export interface TemplateSettings {
  prefix: string;
  refreshInterval: string;
  shards: number;
  replicas: number;
}

/**
 * Composable templates, core Elasticsearch only (no ILM, data streams or pipelines): one component
 * template of index settings shared by every view, one component template of mappings per view, and
 * one index template per view that composes them and adds the view's alias, so every daily index
 * created by a bulk request is born with its mapping and joins its alias. Idempotent (PUT).
 */
export async function installTemplates(client: Client, settings: TemplateSettings): Promise<void> {
  const { prefix } = settings;
  await client.cluster.putComponentTemplate({
    name: `${prefix}-settings`,
    template: {
      settings: {
        number_of_shards: settings.shards,
        number_of_replicas: settings.replicas,
        refresh_interval: settings.refreshInterval,
      },
    },
    _meta: { owner: 'sink-elasticsearch' },
  });
  for (const view of Object.values(View)) {
    await client.cluster.putComponentTemplate({
      name: `${prefix}-${view}-mappings`,
      template: { mappings: Mappings[view] },
      _meta: { owner: 'sink-elasticsearch' },
    });
    await client.indices.putIndexTemplate({
      name: `${prefix}-${view}`,
      index_patterns: [indexPattern(prefix, view)],
      composed_of: [`${prefix}-settings`, `${prefix}-${view}-mappings`],
      priority: 200,
      template: { aliases: { [aliasName(prefix, view)]: {} } },
      _meta: { owner: 'sink-elasticsearch' },
    });
  }
}

/** Removes what installTemplates made (tests clean up with it). */
export async function deleteTemplates(client: Client, prefix: string): Promise<void> {
  for (const view of Object.values(View)) {
    await client.indices.deleteIndexTemplate({ name: `${prefix}-${view}` }, { ignore: [404] });
    await client.cluster.deleteComponentTemplate({ name: `${prefix}-${view}-mappings` }, { ignore: [404] });
  }
  await client.cluster.deleteComponentTemplate({ name: `${prefix}-settings` }, { ignore: [404] });
}
