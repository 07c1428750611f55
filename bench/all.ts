// `pnpm bench all`: every stage's benchmark on the local stack, one after the other (each as its own
// `pnpm bench <stage>` process, so a stage that fails or crashes is marked failed and the next one
// runs), then the end-to-end latency of the whole pipeline at fixed rates (raw trade sent → reading
// row in PostgreSQL, → searchable document in Elasticsearch) with the peak RSS of each service.
// Writes bench/results/all.md (the machine, a table per part); scripts/bench.ts writes all.json.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka } from '@tideline/kafka';
import type { BenchMetric } from '../scripts/bench.ts';
import { deleteKafkaResources } from './lib/cleanup.ts';
import { measureE2e, type E2eResult } from './lib/e2e-latency.ts';
import { stack } from './lib/stack.ts';
import { deleteIndexPrefix, dropSchema, stores } from './lib/stores.ts';
import { deleteTidelineState } from './lib/tideline-processor.ts';
import { CORE_SERVICES, createPipeline, runNames } from './reliability/pipeline.ts';
import { RssSampler, type RssRow } from './reliability/rss.ts';
import { createServices } from './reliability/services.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STAGES = ['kafka', 'engine', 'ingest', 'processor', 'sinks', 'query', 'peers'] as const;

interface StageOutcome {
  stage: string;
  status: 'ok' | 'failed';
  seconds: number;
  detail: string;
  metrics: BenchMetric[];
}

export async function run(args: string[]): Promise<BenchMetric[]> {
  const arg = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const stages = (arg('stages')?.split(',') ?? [...STAGES]).filter(Boolean);
  const rates = (arg('rates') ?? '1000,5000').split(',').map(Number);
  const seconds = Number(arg('seconds') ?? 30);
  const machine = describeMachine();
  const outcomes: StageOutcome[] = [];
  for (const stage of stages) outcomes.push(await runStage(stage));

  let e2e: E2eResult[] = [];
  let rss: RssRow[] = [];
  let e2eError: string | undefined;
  if (!args.includes('--skip-e2e')) {
    const started = performance.now();
    try {
      ({ e2e, rss } = await endToEnd(rates, seconds * 1000));
    } catch (error) {
      e2eError = error instanceof Error ? error.message : String(error);
      console.error(`[bench all] end-to-end failed: ${e2eError}`);
    }
    outcomes.push({
      stage: 'end-to-end',
      status: e2eError ? 'failed' : 'ok',
      seconds: Math.round((performance.now() - started) / 1000),
      detail: e2eError ?? `${rates.join(', ')} events/s, ${seconds} s each`,
      metrics: [],
    });
  }

  const metrics: BenchMetric[] = [];
  for (const o of outcomes) {
    metrics.push({ metric: `stage ${o.stage} ok`, value: o.status === 'ok' ? 1 : 0, unit: o.status });
    for (const m of o.metrics) metrics.push({ ...m, metric: `${o.stage}: ${m.metric}` });
  }
  for (const r of e2e) {
    const at = `at ${r.eventsPerSecond}/s`;
    metrics.push(
      { metric: `e2e raw → PostgreSQL row p50 ${at}`, value: r.postgres.p50, unit: 'ms' },
      { metric: `e2e raw → PostgreSQL row p99 ${at}`, value: r.postgres.p99, unit: 'ms' },
      { metric: `e2e raw → Elasticsearch searchable p50 ${at}`, value: r.elasticsearch.p50, unit: 'ms' },
      { metric: `e2e raw → Elasticsearch searchable p99 ${at}`, value: r.elasticsearch.p99, unit: 'ms' },
      {
        metric: `e2e samples not seen in PostgreSQL ${at}`,
        value: r.samples - r.postgres.seen,
        unit: 'samples',
      },
      {
        metric: `e2e samples not seen in Elasticsearch ${at}`,
        value: r.samples - r.elasticsearch.seen,
        unit: 'samples',
      },
    );
  }
  for (const r of rss)
    metrics.push({ metric: `peak RSS ${r.service} (end-to-end run)`, value: r['max MB'], unit: 'MB' });
  await writeFile(path.join(root, 'bench', 'results', 'all.md'), markdown(machine, outcomes, e2e, rss));
  console.log('wrote bench/results/all.md');
  if (outcomes.some((o) => o.status === 'failed')) process.exitCode = 1;
  return metrics;
}

/** `pnpm bench <stage>` as a child process; its figures from the bench/results/<stage>.json it wrote. */
async function runStage(stage: string): Promise<StageOutcome> {
  console.error(`[bench all] ${stage}`);
  const started = performance.now();
  const startedAtMs = Date.now();
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'bench.ts'), stage], {
      cwd: root,
      stdio: 'inherit',
    });
    child.once('error', (e) => resolve(e.message));
    child.once('exit', (c, signal) => resolve(signal ?? c ?? 'unknown'));
  });
  const seconds = Math.round((performance.now() - started) / 1000);
  if (code !== 0) return { stage, status: 'failed', seconds, detail: `exit ${code}`, metrics: [] };
  try {
    const written = JSON.parse(
      await readFile(path.join(root, 'bench', 'results', `${stage}.json`), 'utf8'),
    ) as {
      startedAt: string;
      metrics: BenchMetric[];
    };
    if (Date.parse(written.startedAt) < startedAtMs - 1000) {
      return {
        stage,
        status: 'failed',
        seconds,
        detail: 'exited 0 without writing its results',
        metrics: [],
      };
    }
    return {
      stage,
      status: 'ok',
      seconds,
      detail: `${written.metrics.length} figures`,
      metrics: written.metrics,
    };
  } catch (error) {
    return { stage, status: 'failed', seconds, detail: `no results: ${String(error)}`, metrics: [] };
  }
}

/** The processor and both sinks in a namespace of their own, fed at each rate in turn. */
async function endToEnd(
  rates: readonly number[],
  durationMs: number,
): Promise<{ e2e: E2eResult[]; rss: RssRow[] }> {
  const names = runNames('bench');
  const kafka = createKafka({ clientId: 'bench-all', brokers: stack.kafkaBrokers });
  const services = createServices();
  const pipeline = createPipeline(services, names, {
    brokers: stack.kafkaBrokers,
    redisUrl: stack.redisUrl,
    postgresUrl: stores.postgresUrl,
    elasticsearchUrl: stores.elasticsearchUrl,
  });
  const rawTopic = pipeline.rawTopic;
  const sampler = new RssSampler();
  const e2e: E2eResult[] = [];
  let rss: RssRow[] = [];
  try {
    await pipeline.startCore(kafka);
    sampler.start(
      () => Object.fromEntries(CORE_SERVICES.map((name) => [name, pipeline.current(name)?.pid])),
      1000,
    );
    for (const rate of rates) {
      console.error(`[bench all] end-to-end at ${rate} events/s for ${durationMs / 1000} s`);
      e2e.push(
        await measureE2e({
          kafka,
          rawTopic,
          eventsPerSecond: rate,
          durationMs,
          postgresUrl: stores.postgresUrl,
          schema: names.schema,
          elasticsearchUrl: stores.elasticsearchUrl,
          indexPrefix: names.indexPrefix,
        }),
      );
    }
    const crashed = await pipeline.crashed();
    if (crashed.length > 0) throw new Error(`crashed during the run: ${crashed.join(', ')}`);
  } finally {
    rss = sampler.stop();
    await pipeline.stop();
    await deleteKafkaResources(kafka, (name) => name.includes(names.namespace)).catch(() => undefined);
    await deleteTidelineState(names.namespace).catch(() => undefined);
    await dropSchema(names.schema).catch(() => undefined);
    await deleteIndexPrefix(names.indexPrefix).catch(() => undefined);
  }
  return { e2e, rss };
}

interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
  startedAt: string;
}

function describeMachine(): Machine {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: new Date().toISOString(),
  };
}

function markdown(machine: Machine, outcomes: StageOutcome[], e2e: E2eResult[], rss: RssRow[]): string {
  const table = (head: string[], rows: (string | number)[][]): string =>
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  const fmt = (v: number): string =>
    Number.isNaN(v)
      ? 'n/a'
      : Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en-US')
        : String(Math.round(v * 1000) / 1000);
  const parts = [
    '# `pnpm bench all`',
    '',
    `Started ${machine.startedAt}. Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}, load average at start ${machine.loadAverageAtStart.join(' / ')} (1 / 5 / 15 min).`,
    '',
    '## Stages',
    '',
    table(
      ['stage', 'status', 'seconds', 'detail'],
      outcomes.map((o) => [o.stage, o.status === 'ok' ? 'ok' : '**FAILED**', o.seconds, o.detail]),
    ),
    '',
  ];
  for (const o of outcomes.filter((o) => o.metrics.length > 0)) {
    parts.push(
      `### ${o.stage}`,
      '',
      table(
        ['metric', 'value', 'unit', 'target'],
        o.metrics.map((m) => [m.metric, fmt(m.value), m.unit, m.target ?? '']),
      ),
      '',
    );
  }
  if (e2e.length > 0) {
    parts.push(
      '## End to end (raw trade sent → reading row in PostgreSQL / searchable document in Elasticsearch)',
      '',
      table(
        [
          'events/s',
          'sent',
          'samples',
          'PostgreSQL p50 / p99 / max ms',
          'not seen',
          'Elasticsearch p50 / p99 / max ms',
          'not seen',
        ],
        e2e.map((r) => [
          r.eventsPerSecond,
          r.sent,
          r.samples,
          `${fmt(r.postgres.p50)} / ${fmt(r.postgres.p99)} / ${fmt(r.postgres.max)}`,
          r.samples - r.postgres.seen,
          `${fmt(r.elasticsearch.p50)} / ${fmt(r.elasticsearch.p99)} / ${fmt(r.elasticsearch.max)}`,
          r.samples - r.elasticsearch.seen,
        ]),
      ),
      '',
    );
  }
  if (rss.length > 0) {
    parts.push(
      '## RSS per service during the end-to-end run (sampled every second)',
      '',
      table(
        ['service', 'samples', 'start MB', 'end MB', 'peak MB'],
        rss.map((r) => [r.service, r.samples, r['start MB'], r['end MB'], r['max MB']]),
      ),
      '',
    );
  }
  return parts.join('\n');
}
