// docker-compose.yml against the services themselves: each service's environment is accepted by that
// service's own configuration schema (the one its main.ts loads), ports and health checks line up,
// every `service_healthy` dependency has a health check, and Prometheus scrapes every service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '@tideline/config';
import { parse } from 'yaml';
import { envOf, loadCompose, type ComposeFile } from './support/compose.ts';
import { configSchemaOf, repoRoot, SERVICES, servicesInWorkspace } from './support/services.ts';

/** A service has a health check in its compose entry, or inherits the Dockerfile's HEALTHCHECK. */
async function hasHealthcheck(compose: ComposeFile, name: string): Promise<boolean> {
  const service = compose.services[name];
  if (!service || service.healthcheck?.disable === true) return false;
  if (service.healthcheck?.test !== undefined) return true;
  const dockerfile = await readFile(path.join(repoRoot, 'Dockerfile'), 'utf8');
  return service.build !== undefined && /^HEALTHCHECK\s+.*CMD/ms.test(dockerfile);
}

test('every service in the workspace runs in docker-compose with an environment its config schema accepts', async () => {
  const compose = await loadCompose();
  const present = await servicesInWorkspace();
  assert.ok(present.length >= 4, 'source-api, ingest, processor and query-api at least');
  for (const { name, port, prefix } of present) {
    const service = compose.services[name];
    assert.ok(service, `compose service ${name}`);
    const env = envOf(service);
    // NODE_OPTIONS is Node's own (heap sizes), not the service's configuration.
    for (const key of Object.keys(env)) {
      if (key !== 'NODE_OPTIONS') assert.ok(key.startsWith(prefix), `${name}: ${key} has ${prefix}`);
    }
    const config = loadConfig(await configSchemaOf(name), env, { prefix }) as Record<string, unknown>;
    assert.equal(config.HOST, '0.0.0.0', `${name} listens beyond the container's loopback`);
    assert.equal(config.PORT, port, `${name} port`);
    assert.equal(service.build?.args?.PORT, String(port), `${name}: the image's healthcheck port`);
    for (const [key, value] of Object.entries(config)) {
      if (typeof value === 'string' && /127\.0\.0\.1|localhost/.test(value)) {
        assert.fail(`${name}: ${key}=${value} points at the container itself, not a compose service`);
      }
    }
  }
});

test('the config check can fail: a typo in an environment key is rejected by the schema', async () => {
  const compose = await loadCompose();
  const env = { ...envOf(compose.services.ingest!), INGEST_KAFKA_BROKER: 'kafka:9092' };
  const schema = await configSchemaOf('ingest');
  assert.throws(() => loadConfig(schema, env, { prefix: 'INGEST_' }), /INGEST_KAFKA_BROKER: unknown key/);
});

test('the one-shot migration and Kibana import run the commands of the sinks they belong to', async () => {
  const compose = await loadCompose();
  const migrate = compose.services['postgres-migrate']!;
  assert.deepEqual(migrate.command, ['node', 'services/sink-postgres/src/migrate-main.ts', 'up']);
  assert.equal(migrate.build?.args?.SERVICE, 'sink-postgres');
  assert.equal(
    envOf(migrate).SINK_PG_DATABASE_URL,
    envOf(compose.services['sink-postgres']!).SINK_PG_DATABASE_URL,
    'migrates the database the sink writes',
  );
  assert.equal(envOf(compose.services['sink-postgres']!).SINK_PG_MIGRATE_ON_START, 'false');
  const kibanaImport = compose.services['kibana-import']!;
  assert.deepEqual(kibanaImport.command, ['node', 'infra/kibana/import.ts']);
  assert.equal(
    kibanaImport.build?.args?.SERVICE,
    'sink-elasticsearch',
    'the image that carries infra/kibana',
  );
  assert.match(kibanaImport.restart ?? '', /^on-failure/);
  assert.equal(envOf(kibanaImport).KIBANA_URL, 'http://kibana:5601');
  for (const name of ['postgres-migrate', 'kibana-import', 'kafka-init']) {
    assert.notEqual(compose.services[name]!.restart, 'unless-stopped', `${name} is one-shot`);
  }
  const dependents = Object.entries(compose.services).filter(
    ([, s]) => s.depends_on?.['postgres-migrate']?.condition === 'service_completed_successfully',
  );
  assert.deepEqual(dependents.map(([name]) => name).sort(), ['query-api', 'sink-postgres']);
});

test('every depends_on service_healthy names a service that has a health check', async () => {
  const compose = await loadCompose();
  let checked = 0;
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      assert.ok(compose.services[dependency], `${name} depends on unknown ${dependency}`);
      if (condition !== 'service_healthy') continue;
      checked += 1;
      assert.ok(await hasHealthcheck(compose, dependency), `${name} waits for ${dependency} to be healthy`);
    }
  }
  assert.ok(checked >= 8, `service_healthy conditions checked: ${checked}`);
  const broken = structuredClone(compose);
  broken.services['kafka-init']!.depends_on = { 'postgres-migrate': { condition: 'service_healthy' } };
  assert.equal(await hasHealthcheck(broken, 'postgres-migrate'), false, 'a disabled check does not count');
});

test('Prometheus scrapes /metrics of every service on its port', async () => {
  const compose = await loadCompose();
  assert.ok(
    compose.services.prometheus?.volumes?.some((v) =>
      v.startsWith('./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml'),
    ),
  );
  const config = parse(await readFile(path.join(repoRoot, 'infra/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const tideline = config.scrape_configs.find((c) => c.job_name === 'tideline');
  assert.equal(tideline?.metrics_path, '/metrics');
  const targets = tideline?.static_configs.flatMap((c) => c.targets).sort();
  assert.deepEqual(targets, SERVICES.map(({ name, port }) => `${name}:${port}`).sort());
});
