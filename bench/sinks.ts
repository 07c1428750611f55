// `pnpm bench sinks`: end to end (consume read_committed, write, commit) from a topic backlog of cleaned
// readings and window aggregates (half each, 1,000 series, 3 partitions) into PostgreSQL, once per write
// mode (multi-row INSERT ... ON CONFLICT from unnest arrays; COPY into a staging table, then merge), and
// into Elasticsearch. Each sink runs as a user runs it (services/<name>/src/main.ts, its own process, its
// own consumer group), so its peak RSS (VmHWM) is its own. The headline rate runs from the first committed
// batch to the last commit (steady state); the rate from spawning the process, which adds Node's start,
// migrations and the broker's 3 s initial rebalance delay of a new group, is printed beside it.
// Everything the run creates (topics, groups, schemas, indices, templates) is unique to it and deleted.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { topicNamer } from '@tideline/contracts';
import { createKafka } from '@tideline/kafka';
import { generateBenchBacklog, produceFixture } from '@tideline/sink-runtime';
import pg from 'pg';
import type { BenchMetric } from '../scripts/bench.ts';
import { counterSum, startService } from '../scripts/lib/service-process.ts';

const brokers = process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://tideline@127.0.0.1:5432/tideline';
const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`;
const PG_PORT = 18183;
const ES_PORT = 18184;
const WRITTEN = 'tideline_sink_records_written_total';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface SinkRun {
  /** Records per second from spawning the process until the last record is committed. */
  perSecond: number;
  /** Records per second from the first committed batch to the last (without start-up and group join). */
  steadyPerSecond: number;
  peakRssMiB: number;
}

export async function run(args: string[]): Promise<BenchMetric[]> {
  const total = Number(args[0] ?? 200_000);
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const namespace = `bench-${id}`;
  const prefix = `bench-${id}`;
  const kafka = createKafka({ clientId: 'bench-sinks', brokers: brokers.split(',') });
  const schemas: string[] = [];
  const metrics: BenchMetric[] = [];
  try {
    const startMs = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
    const backlog = generateBenchBacklog(topicNamer(namespace), { startMs, total, keys: 1000 });
    await produceFixture(kafka, backlog, { partitions: 3, chunk: 10_000 });
    console.log(
      `backlog: ${total} records (cleaned readings and window aggregates, half each) on ${namespace}`,
    );

    // The modes alternate, twice each, and each keeps its better run: on a shared machine the load of
    // the moment would otherwise decide the comparison.
    const pgRuns: Record<'insert' | 'copy', SinkRun[]> = { insert: [], copy: [] };
    for (const mode of ['insert', 'copy', 'insert', 'copy'] as const) {
      const schema = `bench_${id}_${mode}_${pgRuns[mode].length}`;
      schemas.push(schema);
      pgRuns[mode].push(
        await measure('sink-postgres', PG_PORT, total, {
          SINK_PG_PORT: String(PG_PORT),
          SINK_PG_LOG_LEVEL: 'warn',
          SINK_PG_KAFKA_BROKERS: brokers,
          SINK_PG_DATABASE_URL: databaseUrl,
          SINK_PG_PG_SCHEMA: schema,
          SINK_PG_TOPIC_NAMESPACE: namespace,
          SINK_PG_GROUP_ID: `${namespace}-pg-${mode}-${pgRuns[mode].length}`,
          SINK_PG_WRITE_MODE: mode,
        }),
      );
    }
    const best = (runs: SinkRun[]): SinkRun =>
      runs.reduce((a, b) => (b.steadyPerSecond > a.steadyPerSecond ? b : a));
    for (const mode of ['insert', 'copy'] as const) {
      const r = best(pgRuns[mode]);
      const label = mode === 'insert' ? 'multi-row INSERT ON CONFLICT (unnest)' : 'COPY to staging + merge';
      metrics.push(
        {
          metric: `PostgreSQL rows/s, ${label}`,
          value: r.steadyPerSecond,
          unit: 'rows/s',
          target: '>= 40000',
        },
        {
          metric: `PostgreSQL rows/s, ${label}, incl. process start and group join`,
          value: r.perSecond,
          unit: 'rows/s',
        },
        { metric: `sink-postgres peak RSS (${mode})`, value: r.peakRssMiB, unit: 'MiB' },
      );
    }
    const es = await measure('sink-elasticsearch', ES_PORT, total, {
      SINK_ES_PORT: String(ES_PORT),
      SINK_ES_LOG_LEVEL: 'warn',
      SINK_ES_KAFKA_BROKERS: brokers,
      SINK_ES_ELASTICSEARCH_URL: elasticsearchUrl,
      SINK_ES_INDEX_PREFIX: prefix,
      SINK_ES_TOPIC_NAMESPACE: namespace,
      SINK_ES_GROUP_ID: `${namespace}-es`,
      SINK_ES_METRICS_INTERVAL_MS: '0',
    });
    metrics.push(
      { metric: 'Elasticsearch docs/s, bulk', value: es.steadyPerSecond, unit: 'docs/s', target: '>= 10000' },
      {
        metric: 'Elasticsearch docs/s, bulk, incl. process start and group join',
        value: es.perSecond,
        unit: 'docs/s',
      },
      { metric: 'sink-elasticsearch peak RSS', value: es.peakRssMiB, unit: 'MiB' },
    );
    // Head to head on one connection, the same batches alternating (medians): the comparison that
    // decides WRITE_MODE, steadier than the end-to-end runs above on a shared machine.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'services/sink-postgres/src/write-modes-bench.ts'), '10000', '7'],
      { env: { ...process.env, SINK_PG_DATABASE_URL: databaseUrl } },
    );
    const modes = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      perBatch: number;
      copyMs: number;
      insertMs: number;
    };
    metrics.push(
      {
        metric: 'PostgreSQL write only, one connection, COPY + merge (median of 7)',
        value: modes.perBatch / (modes.copyMs / 1000),
        unit: 'rows/s',
      },
      {
        metric: 'PostgreSQL write only, one connection, INSERT unnest (median of 7)',
        value: modes.perBatch / (modes.insertMs / 1000),
        unit: 'rows/s',
      },
    );
    console.log(
      `faster PostgreSQL write mode: ${modes.copyMs <= modes.insertMs ? 'copy' : 'insert'} (head to head)`,
    );
  } finally {
    await cleanup(kafka, namespace, schemas, prefix);
  }
  return metrics;
}

async function measure(
  name: string,
  port: number,
  total: number,
  env: Record<string, string>,
): Promise<SinkRun> {
  const spawned = performance.now();
  const service = await startService(name, port, env);
  try {
    let first: { atMs: number; written: number } | undefined;
    let written = 0;
    const deadline = Date.now() + 600_000;
    while (written < total) {
      if (Date.now() > deadline) throw new Error(`${name} wrote ${written} of ${total} in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 25));
      written = await counterSum(service.url, WRITTEN);
      if (first === undefined && written > 0) first = { atMs: performance.now(), written };
    }
    const done = performance.now();
    const status = await readFile(`/proc/${service.child.pid}/status`, 'utf8');
    const hwmKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return {
      perSecond: total / ((done - spawned) / 1000),
      steadyPerSecond:
        first && done > first.atMs ? (total - first.written) / ((done - first.atMs) / 1000) : 0,
      peakRssMiB: hwmKiB / 1024,
    };
  } finally {
    await service.stop();
  }
}

async function cleanup(
  kafka: ReturnType<typeof createKafka>,
  namespace: string,
  schemas: string[],
  prefix: string,
) {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  const groups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((g) => g.startsWith(namespace));
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  // Elasticsearch over REST: wildcard deletes are refused, so indices are deleted by name.
  const indices = (await (await fetch(`${elasticsearchUrl}/_cat/indices/${prefix}-*?h=index`)).text())
    .split('\n')
    .filter(Boolean);
  if (indices.length > 0) await fetch(`${elasticsearchUrl}/${indices.join(',')}`, { method: 'DELETE' });
  const templates = ['readings', 'windows', 'alerts', 'late', 'deadletters', 'sinkmetrics'];
  for (const view of templates)
    await fetch(`${elasticsearchUrl}/_index_template/${prefix}-${view}`, { method: 'DELETE' });
  for (const view of templates)
    await fetch(`${elasticsearchUrl}/_component_template/${prefix}-${view}-mappings`, { method: 'DELETE' });
  await fetch(`${elasticsearchUrl}/_component_template/${prefix}-settings`, { method: 'DELETE' });
}
