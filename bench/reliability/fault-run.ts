// One fault scenario from start to verdict: a pipeline of its own (namespace, schema, index prefix),
// data at a fixed rate, the fault injected under load, the load stopped and closed, the sinks given
// time to catch up, then the raw log recomputed and compared with PostgreSQL and Elasticsearch.
import { createKafka } from '@tideline/kafka';
import type { Kafka } from 'kafkajs';
import { deleteIndexPrefix, dropSchema, stores } from '../lib/stores.ts';
import { stack } from '../lib/stack.ts';
import { compare, countWritten, readBack, type ComparisonRow } from './compare.ts';
import { startLoad, type Load } from './load.ts';
import {
  createPipeline,
  PipelineService,
  runNames,
  type Pipeline,
  type PipelineTargets,
} from './pipeline.ts';
import { recompute } from './recompute.ts';
import { RssSampler, type RssRow } from './rss.ts';
import { Expect, type CaseResult, type ScenarioContext, type ScenarioResult } from './scenario.ts';

export interface FaultEnvironment {
  targets: Partial<PipelineTargets>;
  /** Undone at the end whatever happened. */
  teardown(): Promise<void>;
}

export interface FaultPlan {
  /** Stores in front of the pipeline (a private broker, a proxy, a private Redis); the shared stack when absent. */
  environment?: () => Promise<FaultEnvironment>;
  /** Also start the query API and ask it for data now and then (the soak). */
  withQueryApi?: boolean;
  /** Load before the fault. */
  warmupMs: number;
  /** The fault itself, under load; returns notes for the report. */
  inject(pipeline: Pipeline, load: Load): Promise<string[]>;
  /** Load after the fault. */
  cooldownMs: number;
  /** Sample RSS of every service while the load runs. */
  sampleRss?: boolean;
}

const CATCH_UP_LIMIT_MS = 240_000;
const QUIET_LIMIT_MS = 60_000;

export async function runFault(context: ScenarioContext, plan: FaultPlan): Promise<ScenarioResult> {
  const names = runNames();
  context.claimNamespace(names.namespace);
  const environment = (await plan.environment?.()) ?? { targets: {}, teardown: async () => undefined };
  const targets: PipelineTargets = {
    brokers: environment.targets.brokers ?? context.brokers,
    redisUrl: environment.targets.redisUrl ?? stack.redisUrl,
    postgresUrl: environment.targets.postgresUrl ?? stores.postgresUrl,
    elasticsearchUrl: environment.targets.elasticsearchUrl ?? stores.elasticsearchUrl,
  };
  // The suite reads the stores directly, never through a proxy the fault cuts.
  const kafka: Kafka =
    targets.brokers === context.brokers
      ? context.kafka
      : createKafka({ clientId: 'reliability-private', brokers: [...targets.brokers] });
  const pipeline = createPipeline(context.services, names, targets);
  const rawTopic = pipeline.rawTopic;
  const sampler = new RssSampler();
  const notes: string[] = [];
  const crashes: string[] = [];
  let rows: ComparisonRow[] = [];
  let rss: RssRow[] = [];
  let sent = 0;
  let sendErrors = 0;
  let queries = { ok: 0, serverErrors: 0 };
  try {
    await pipeline.startCore(kafka);
    if (plan.withQueryApi) await pipeline.start(PipelineService.queryApi);
    if (plan.sampleRss) {
      sampler.start(() =>
        Object.fromEntries(Object.values(PipelineService).map((name) => [name, pipeline.current(name)?.pid])),
      );
    }
    const load = await startLoad(kafka, rawTopic, context.options.rate);
    const querying = plan.withQueryApi ? pollQueryApi(pipeline) : undefined;
    await sleep(plan.warmupMs);
    notes.push(...(await plan.inject(pipeline, load)));
    await sleep(plan.cooldownMs);
    crashes.push(...(await pipeline.crashed()));
    if (querying) queries = await querying.stop();
    sent = await load.stop();
    sendErrors = load.errors();
    if (plan.sampleRss) rss = sampler.stop();
    const expected = await recompute(kafka, rawTopic, names.namespace);
    await waitForSinks(targets, names, expected.eventIds.size, expected.windows.size);
    crashes.push(...(await pipeline.crashed()).filter((c) => !crashes.includes(c)));
    rows = compare(
      expected,
      await readBack(stores.postgresUrl, names.schema, stores.elasticsearchUrl, names.indexPrefix),
    );
    notes.push(`raw records ${expected.rawRecords} (invalid ${expected.invalid}), sent ${sent}`);
  } finally {
    if (plan.sampleRss && rss.length === 0) rss = sampler.stop();
    await pipeline.stop();
    await environment.teardown().catch((e: unknown) => notes.push(`teardown: ${String(e)}`));
    await dropSchema(names.schema).catch((e: unknown) => notes.push(`drop schema: ${String(e)}`));
    await deleteIndexPrefix(names.indexPrefix).catch((e: unknown) =>
      notes.push(`delete indices: ${String(e)}`),
    );
  }
  const cases: CaseResult[] = rows.map((r) => ({
    name: r.target,
    expected: Expect.recomputation,
    got: `expected ${r.expected}, lost ${r.lost}, duplicated ${r.duplicated}, unexpected ${r.unexpected}, differing ${r.differing}`,
    ok: r.expected > 0 && r.lost === 0 && r.duplicated === 0 && r.unexpected === 0 && r.differing === 0,
  }));
  if (plan.withQueryApi) {
    cases.push({
      name: 'query API under load',
      expected: Expect.not5xx,
      got: `${queries.ok} answered, ${queries.serverErrors} 5xx`,
      ok: queries.serverErrors === 0 && queries.ok > 0,
      ...(queries.serverErrors > 0 ? { status: 500 } : {}),
    });
  }
  return {
    cases,
    crashes,
    figures: { sent, sendErrors },
    recomputation: rows,
    ...(rss.length > 0 ? { rss } : {}),
    notes,
  };
}

/** Waits until the sinks hold at least what the recomputation expects, or nothing moves for a minute. */
async function waitForSinks(
  targets: PipelineTargets,
  names: ReturnType<typeof runNames>,
  readings: number,
  windows: number,
): Promise<void> {
  void targets;
  const deadline = Date.now() + CATCH_UP_LIMIT_MS;
  let last = '';
  let lastChangeMs = Date.now();
  while (Date.now() < deadline) {
    const n = await countWritten(
      stores.postgresUrl,
      names.schema,
      stores.elasticsearchUrl,
      names.indexPrefix,
    );
    if (n.pgReadings >= readings && n.esReadings >= readings && n.pgWindows >= windows) {
      // One more pass: anything still in flight (a duplicate, a late row) shows up in the comparison.
      await sleep(3000);
      return;
    }
    const now = JSON.stringify(n);
    if (now !== last) {
      last = now;
      lastChangeMs = Date.now();
    } else if (Date.now() - lastChangeMs > QUIET_LIMIT_MS) return;
    await sleep(1000);
  }
}

/** The query API asked for a symbol's latest values and windows about twice a second. */
function pollQueryApi(pipeline: Pipeline): { stop(): Promise<{ ok: number; serverErrors: number }> } {
  let stopping = false;
  const tally = { ok: 0, serverErrors: 0 };
  const paths = [
    '/v1/symbols/BX01/latest',
    '/v1/symbols?limit=10',
    '/v1/symbols/BX02/windows?job=market-hopping',
  ];
  const loop = (async () => {
    let i = 0;
    while (!stopping) {
      const url = pipeline.current(PipelineService.queryApi)?.url;
      if (url) {
        const status = await fetch(`${url}${paths[i++ % paths.length]}`).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        );
        if (status >= 500) tally.serverErrors++;
        else if (status > 0) tally.ok++;
      }
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return tally;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
