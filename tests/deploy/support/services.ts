// The six services as the deployment files know them: port, environment prefix, and what their
// readiness needs. The deployment tests check docker-compose.yml, the images and k8s/ against this
// and against each service's own exported configuration schema.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { loadConfig } from '@tideline/config';

type ConfigSchema = Parameters<typeof loadConfig>[0];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServiceInfo {
  name: string;
  port: number;
  prefix: string;
}

/** Ports are distinct so every service can also run side by side on one host (`npm run up`). */
export const SERVICES: readonly ServiceInfo[] = [
  { name: 'source-api', port: 8081, prefix: 'SOURCE_API_' },
  { name: 'ingest', port: 8082, prefix: 'INGEST_' },
  { name: 'processor', port: 8083, prefix: 'PROCESSOR_' },
  { name: 'query-api', port: 8084, prefix: 'QUERY_API_' },
  { name: 'sink-postgres', port: 8085, prefix: 'SINK_PG_' },
  { name: 'sink-elasticsearch', port: 8086, prefix: 'SINK_ES_' },
];

/**
 * The services whose code is in this checkout. The sinks live on their own branch until it is merged;
 * from then on every check below covers them too, with nothing to change here.
 */
export async function servicesInWorkspace(): Promise<ServiceInfo[]> {
  const present: ServiceInfo[] = [];
  for (const service of SERVICES) {
    try {
      await access(path.join(repoRoot, 'services', service.name, 'package.json'));
      present.push(service);
    } catch {
      // not in this checkout
    }
  }
  return present;
}

/** The configuration schema a service exports from its package entry (src/app.ts or src/index.ts). */
export async function configSchemaOf(service: string): Promise<ConfigSchema> {
  const dir = path.join(repoRoot, 'services', service);
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    exports: { '.': string };
  };
  // A dynamic import by path: the deployment checks are the one place that reads every service's schema.
  const entry = (await import(pathToFileURL(path.join(dir, manifest.exports['.'])).href)) as Record<
    string,
    unknown
  >;
  const schemas = Object.entries(entry).filter(([key]) => key.endsWith('ConfigSchema'));
  if (schemas.length !== 1) throw new Error(`${service} exports ${schemas.length} *ConfigSchema`);
  return schemas[0]![1] as ConfigSchema;
}
