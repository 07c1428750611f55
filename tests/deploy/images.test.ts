// Each service's image, without Docker: the Dockerfile's `assemble` stage replayed into a temporary
// folder (outside any node_modules, where Node would refuse to strip types), then the service started
// from that folder with plain `node`, as the image's CMD does, until /readyz answers; SIGTERM must end
// it with exit code 0. One production install per service, three at a time, from the pnpm store the
// workspace already uses. Services that need infrastructure use the real local stack, each with a
// namespace of this run (topics, groups, Redis keys, a PostgreSQL schema, an index prefix), removed
// at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { stack, uniqueName } from '../support/env.ts';
import { assemble, dockerfileStages } from './support/dockerfile.ts';
import { repoRoot, servicesInWorkspace, type ServiceInfo } from './support/services.ts';

const run = promisify(execFile);
const namespace = uniqueName('t').replace(/[^a-zA-Z0-9_-]/g, '');
const pgSchema = `t_${namespace.replace(/-/g, '_').toLowerCase()}`;
const indexPrefix = namespace.toLowerCase();
let workdir = '';
const images = new Map<string, Promise<string>>();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment of one service for this run: the local stack, this run's namespace, a free port. */
function envFor(service: string, port: number): Record<string, string> {
  const kafka = stack.kafkaBrokers.join(',');
  switch (service) {
    case 'source-api':
      return { SOURCE_API_PORT: String(port), SOURCE_API_LOG_LEVEL: 'warn' };
    case 'ingest':
      // No feeds: nothing is polled or produced. (Ingest has no topic namespace: on start it ensures
      // the plain raw topics exist, as tests/e2e/ingest-from-source.test.ts does.)
      return {
        INGEST_PORT: String(port),
        INGEST_LOG_LEVEL: 'warn',
        INGEST_KAFKA_BROKERS: kafka,
        INGEST_REDIS_URL: stack.redisUrl,
        INGEST_FEEDS: '',
        INGEST_CURSOR_KEY: `tl:${namespace}:ingest:cursors`,
      };
    case 'processor':
      return {
        PROCESSOR_PORT: String(port),
        PROCESSOR_LOG_LEVEL: 'warn',
        PROCESSOR_KAFKA_BROKERS: kafka,
        PROCESSOR_REDIS_URL: stack.redisUrl,
        PROCESSOR_TOPIC_NAMESPACE: namespace,
        PROCESSOR_CATALOGUE_URL: '',
        PROCESSOR_OUTPUT_PARTITIONS: '1',
      };
    case 'query-api':
      return {
        QUERY_API_PORT: String(port),
        QUERY_API_LOG_LEVEL: 'warn',
        QUERY_API_PG_URL: stack.postgresUrl,
        QUERY_API_PG_SCHEMA: pgSchema,
        QUERY_API_REDIS_URL: stack.redisUrl,
        QUERY_API_STATE_NAMESPACE: namespace,
      };
    case 'sink-postgres':
      return {
        SINK_PG_PORT: String(port),
        SINK_PG_LOG_LEVEL: 'warn',
        SINK_PG_KAFKA_BROKERS: kafka,
        SINK_PG_TOPIC_NAMESPACE: namespace,
        SINK_PG_GROUP_ID: `${namespace}.sink-postgres`,
        SINK_PG_DATABASE_URL: stack.postgresUrl,
        SINK_PG_PG_SCHEMA: pgSchema,
      };
    case 'sink-elasticsearch':
      return {
        SINK_ES_PORT: String(port),
        SINK_ES_LOG_LEVEL: 'warn',
        SINK_ES_KAFKA_BROKERS: kafka,
        SINK_ES_TOPIC_NAMESPACE: namespace,
        SINK_ES_GROUP_ID: `${namespace}.sink-elasticsearch`,
        SINK_ES_ELASTICSEARCH_URL: stack.elasticsearchUrl,
        SINK_ES_INDEX_PREFIX: indexPrefix,
        SINK_ES_METRICS_INTERVAL_MS: '0',
      };
    default:
      throw new Error(`no test environment for ${service}`);
  }
}

/** Runs up to `limit` of the tasks at once. */
function limited(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

let services: ServiceInfo[] = [];

before(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), 'tideline-images-'));
  const { stdout } = await run('pnpm', ['store', 'path'], { cwd: repoRoot });
  const storeEnv = { npm_config_store_dir: stdout.trim() };
  const slot = limited(3);
  services = await servicesInWorkspace();
  for (const { name } of services) {
    const promise = slot(() => assemble(name, path.join(workdir, name), storeEnv));
    promise.catch(() => undefined); // awaited by the service's test
    images.set(name, promise);
  }
});

after(async () => {
  await Promise.all([...images.values()].map((p) => p.catch(() => undefined)));
  await rm(workdir, { recursive: true, force: true });
  await cleanUpNamespace();
});

async function cleanUpNamespace(): Promise<void> {
  const kafka = new Kafka({ brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${namespace}.`));
    // A group that never committed is gone once its last member leaves (GROUP_ID_NOT_FOUND, 69).
    if (groups.length > 0) {
      await admin.deleteGroups(groups).catch((error: { groups?: { errorCode: number }[] }) => {
        if (!error.groups?.every((g) => g.errorCode === 69)) throw error;
      });
    }
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis(stack.redisUrl);
  try {
    const keys = await redis.keys(`tl:${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
  const client = new pg.Client({ connectionString: stack.postgresUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  } finally {
    await client.end();
  }
  await fetch(`${stack.elasticsearchUrl}/${indexPrefix}-*?expand_wildcards=all`, { method: 'DELETE' });
  await fetch(`${stack.elasticsearchUrl}/_index_template/${indexPrefix}-*`, { method: 'DELETE' });
}

test('the Dockerfile: a small non-root final stage with a healthcheck, Node from .node-version', async () => {
  const stages = await dockerfileStages();
  const final = stages.at(-1)!;
  assert.equal(final.name, 'runtime');
  const nodeMajor = (await readFile(path.join(repoRoot, '.node-version'), 'utf8')).trim().split('.')[0];
  assert.equal(final.from, `node:${nodeMajor}-slim`);
  const at = (instruction: string) =>
    final.lines.filter((l) => l.instruction === instruction).map((l) => l.args);
  assert.deepEqual(at('USER'), ['node']);
  assert.deepEqual(
    at('COPY'),
    ['--from=assemble /image /app'],
    'only the assembled tree, no pnpm, no sources of other services',
  );
  assert.deepEqual(at('RUN'), [], 'nothing installed in the final stage');
  assert.match(at('HEALTHCHECK')[0] ?? '', /CMD .*\/readyz/);
  assert.deepEqual(at('STOPSIGNAL'), ['SIGTERM']);
  assert.match(at('CMD')[0] ?? '', /node services\/\$\{SERVICE\}\/src\/main\.ts/);
  const assembleStage = stages.find((s) => s.name === 'assemble')!;
  assert.ok(
    assembleStage.lines.some(
      (l) => l.instruction === 'RUN' && /pnpm install --frozen-lockfile --prod /.test(l.args),
    ),
  );
});

/** The one-shot commands docker-compose and the k8s Jobs run from a service's image. */
const oneShots: Record<string, (image: string) => Promise<void>> = {
  'sink-postgres': async (image) => {
    // The migration one-shot, against the real PostgreSQL, into this run's schema.
    await run(process.execPath, ['services/sink-postgres/src/migrate-main.ts', 'up'], {
      cwd: image,
      env: {
        PATH: process.env.PATH ?? '',
        SINK_PG_DATABASE_URL: stack.postgresUrl,
        SINK_PG_PG_SCHEMA: pgSchema,
        SINK_PG_LOG_LEVEL: 'warn',
      },
    });
    const client = new pg.Client({ connectionString: stack.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1',
        [pgSchema],
      );
      assert.ok(Number(rows[0]?.n) > 0, 'the migration created tables');
    } finally {
      await client.end();
    }
  },
  'sink-elasticsearch': async (image) => {
    // The Kibana import ships in this image. No Kibana runs here: with one attempt at a closed port
    // it must load, read its saved objects and fail on the connection, not on a missing module.
    const port = await freePort();
    const result = await run(process.execPath, ['infra/kibana/import.ts'], {
      cwd: image,
      env: {
        PATH: process.env.PATH ?? '',
        KIBANA_URL: `http://127.0.0.1:${port}`,
        IMPORT_ATTEMPTS: '1',
        IMPORT_DELAY_MS: '1',
      },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stderr, /ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED|ENOENT/);
    assert.ok(await exists(path.join(image, 'infra/kibana/saved-objects.ndjson')));
  },
};

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

test(
  'each service image holds only its production dependencies and starts from them until ready',
  { concurrency: 3 },
  async (t) => {
    assert.ok(services.length >= 4);
    for (const { name } of services) {
      await t.test(name, async () => {
        const image = await images.get(name)!;
        assert.deepEqual(await readdir(path.join(image, 'services')), [name], 'no other service');
        const manifest = JSON.parse(
          await readFile(path.join(repoRoot, 'services', name, 'package.json'), 'utf8'),
        ) as {
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
        };
        const modules = path.join(image, 'services', name, 'node_modules');
        for (const dep of Object.keys(manifest.dependencies ?? {})) {
          assert.ok(await exists(path.join(modules, dep)), `${name}: dependency ${dep}`);
        }
        for (const dep of Object.keys(manifest.devDependencies ?? {})) {
          assert.equal(await exists(path.join(modules, dep)), false, `${name}: no devDependency ${dep}`);
        }
        for (const tool of ['typescript', 'eslint', 'prettier']) {
          assert.equal(await exists(path.join(image, 'node_modules', tool)), false, `${name}: no ${tool}`);
        }
        assert.equal(await exists(path.join(image, 'services', name, 'test')), false, 'no tests');
        if (name in oneShots) await oneShots[name]!(image);

        const port = await freePort();
        const child = spawn(process.execPath, [`services/${name}/src/main.ts`], {
          cwd: image,
          env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...envFor(name, port) },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        try {
          const deadline = Date.now() + 60_000;
          let status = 0;
          while (Date.now() < deadline && child.exitCode === null) {
            status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
              (r) => r.status,
              () => 0,
            );
            if (status === 200) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          assert.equal(status, 200, `${name} /readyz from the image tree; stderr: ${stderr}`);
          const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
          assert.equal(metrics.status, 200);
        } finally {
          child.kill('SIGTERM');
        }
        assert.equal(await exited, 0, `${name} exits cleanly on SIGTERM; stderr: ${stderr}`);
      });
    }
  },
);
