// `pnpm bench peers [--events=1000000] [--rate=5000] [--latency-seconds=40] [--skip-latency]`:
// Tideline against the best alternative on this machine, in one run. The ceiling (kafkajs and Kafka's
// ConsumerPerformance reading the backlog), the market job in Kafka Streams 3.9.1 and in Tideline's
// processor, each with exactly-once and at-least-once: events/s over the same backlog of trades, p99
// latency at a fixed rate, Tideline / Kafka Streams ratios, and a row-for-row check of the results.
// Everything it creates (topics, groups, internal topics, state dirs, Redis keys) is deleted at the end.
import os from 'node:os';
import { createKafka } from '@tideline/kafka';
import type { BenchMetric } from '../scripts/bench.ts';
import { writeBacklog, type Backlog } from './lib/backlog.ts';
import { deleteKafkaResources } from './lib/cleanup.ts';
import { BENCH_SYMBOLS } from './lib/market-feed.ts';
import { benchNamespace, stack } from './lib/stack.ts';
import {
  deleteTidelineState,
  tidelineProcessorAvailability,
  type Guarantee,
} from './lib/tideline-processor.ts';
import { compareRows, type RowComparison } from './lib/window-rows.ts';
import { kafkajsConsumeRate } from './lib/consume-rate.ts';
import { consumerPerformance } from './peers/ceiling.ts';
import { kafkaStreamsEngine, tidelineEngine, type Engine } from './peers/engines.ts';
import { buildMavenProject } from './peers/java.ts';
import { buildKafkaStreamsJob } from './peers/kafka-streams.ts';
import { measureLatency, measureThroughput, type ThroughputResult } from './peers/runs.ts';

const GUARANTEES = ['exactly-once', 'at-least-once'] as const satisfies Guarantee[];
const SHORT = { 'exactly-once': 'eos', 'at-least-once': 'alos' } as const satisfies Record<Guarantee, string>;
const THROUGHPUT_TIMEOUT_MS = 600_000;
const LATENCY_WARMUP_MS = 10_000;

interface Options {
  events: number;
  rate: number;
  latencySeconds: number;
  skipLatency: boolean;
  skipThroughput: boolean;
  skipCeiling: boolean;
  /** Event time of every backlog copy's first trade, so the copies hold the same records. */
  backlogStartMs: number;
}

interface EngineFigures {
  throughput: Partial<Record<Guarantee, ThroughputResult>>;
  p99Ms: Partial<Record<Guarantee, number>>;
}

export async function run(args: string[]): Promise<BenchMetric[]> {
  const options = parseArgs(args);
  const kafka = createKafka({ clientId: 'bench-peers', brokers: stack.kafkaBrokers });
  const namespaces: string[] = [];
  const newNamespace = () => {
    const namespace = benchNamespace();
    namespaces.push(namespace);
    return namespace;
  };
  const metrics: BenchMetric[] = [];
  // Another checkout's processor (e.g. main's) can be measured from here before this branch has one.
  const tidelineRoot = process.env.TIDELINE_PROCESSOR_ROOT || undefined;
  const tideline = tidelineProcessorAvailability(tidelineRoot);
  try {
    const classpath = await buildKafkaStreamsJob();
    await buildMavenProject('kafka-tools');
    const streams = kafkaStreamsEngine(kafka, classpath);

    let shared: { namespace: string; backlog: Backlog } | undefined;
    if (!options.skipThroughput) {
      shared = await sharedBacklog(kafka, streams, newNamespace(), options, metrics);
      if (!options.skipCeiling) await measureCeiling(kafka, shared, metrics);
    }
    const engines: Engine[] = [streams];
    if (tideline.available) engines.push(tidelineEngine(tidelineRoot));
    const figures = new Map(engines.map((e) => [e.label, { throughput: {}, p99Ms: {} } as EngineFigures]));
    const figuresOf = (engine: Engine) => figures.get(engine.label) ?? { throughput: {}, p99Ms: {} };
    // Each guarantee's runs back to back, the peer first: the machine is shared, and runs close in
    // time see similar load from its other users.
    for (const guarantee of options.skipThroughput ? [] : GUARANTEES) {
      for (const engine of engines) {
        figuresOf(engine).throughput[guarantee] = await throughputRun(kafka, engine, guarantee, {
          options,
          metrics,
          newNamespace,
          shared: engine === streams ? shared : undefined,
        });
      }
    }
    for (const guarantee of options.skipLatency ? [] : GUARANTEES) {
      for (const engine of engines) {
        const p99 = await latencyRun(kafka, engine, guarantee, { options, metrics, newNamespace });
        if (p99 !== undefined) figuresOf(engine).p99Ms[guarantee] = p99;
      }
    }

    if (!tideline.available) {
      log(
        `\n*** Tideline side NOT AVAILABLE: ${tideline.reason}.\n` +
          '*** Only the ceiling and Kafka Streams were measured; no Tideline figures or ratios are reported.\n',
      );
      metrics.push({ metric: 'tideline processor available', value: 0, unit: 'bool', target: '1' });
      return metrics;
    }
    metrics.push({ metric: 'tideline processor available', value: 1, unit: 'bool', target: '1' });
    const peer = figures.get('kafka-streams') ?? { throughput: {}, p99Ms: {} };
    const ours = figures.get('tideline') ?? { throughput: {}, p99Ms: {} };
    for (const guarantee of GUARANTEES) {
      const mine = ours.throughput[guarantee];
      const theirs = peer.throughput[guarantee];
      if (mine?.eventsPerSecond !== undefined && theirs?.eventsPerSecond !== undefined) {
        metrics.push({
          metric: `throughput ratio ${guarantee}`,
          value: mine.eventsPerSecond / theirs.eventsPerSecond,
          unit: 'tideline/kafka-streams',
          target: '>= 1',
        });
      }
      if (mine && theirs) {
        const same = compareRows(theirs.rows, mine.rows);
        report(`tideline vs kafka-streams ${guarantee}`, same);
        metrics.push({
          metric: `tideline vs kafka-streams ${guarantee}: rows differing`,
          value: differing(same),
          unit: 'rows',
          target: '0',
        });
      }
      const myP99 = ours.p99Ms[guarantee];
      const theirP99 = peer.p99Ms[guarantee];
      if (myP99 !== undefined && theirP99 !== undefined) {
        metrics.push({
          metric: `p99 latency ratio ${guarantee}`,
          value: myP99 / theirP99,
          unit: 'tideline/kafka-streams',
          target: '<= 1',
        });
      }
    }
    return metrics;
  } finally {
    log(`cleaning up ${namespaces.join(', ')}`);
    const owned = (name: string) => namespaces.some((namespace) => name.includes(namespace));
    const deleted = await deleteKafkaResources(kafka, owned);
    let keys = 0;
    for (const namespace of namespaces) keys += await deleteTidelineState(namespace);
    log(`deleted ${deleted.topics} topics, ${deleted.groups} consumer groups, ${keys} Redis keys`);
  }
}

/** The backlog the ceiling and Kafka Streams read (Tideline's runs write copies of it). */
async function sharedBacklog(
  kafka: ReturnType<typeof createKafka>,
  engine: Engine,
  namespace: string,
  options: Options,
  metrics: BenchMetric[],
): Promise<{ namespace: string; backlog: Backlog }> {
  log(`writing the backlog: ${options.events} trades over ${BENCH_SYMBOLS.length} symbols, 3 partitions`);
  const backlog = await writeBacklog(kafka, {
    topic: engine.inputTopic(namespace),
    events: options.events,
    startMs: options.backlogStartMs,
  });
  log(
    `backlog on ${backlog.topic}: ${backlog.records} records, ${(backlog.bytes / 1e6).toFixed(1)} MB, ` +
      `${backlog.late} late, ${backlog.expected.size} window results expected`,
  );
  metrics.push(
    { metric: 'backlog records', value: backlog.records, unit: 'records' },
    { metric: 'backlog MB (values)', value: backlog.bytes / 1e6, unit: 'MB' },
    { metric: 'backlog window results expected', value: backlog.expected.size, unit: 'rows' },
  );

  return { namespace, backlog };
}

/** How fast the backlog can merely be read: kafkajs, then Kafka's ConsumerPerformance. */
async function measureCeiling(
  kafka: ReturnType<typeof createKafka>,
  { namespace, backlog }: { namespace: string; backlog: Backlog },
  metrics: BenchMetric[],
): Promise<void> {
  log('ceiling: kafkajs consume, then ConsumerPerformance');
  const kafkajs = await kafkajsConsumeRate(
    kafka,
    backlog.topic,
    backlog.records,
    `${namespace}.ceiling-kafkajs`,
  );
  const perf = await consumerPerformance(
    stack.kafkaBrokers,
    backlog.topic,
    backlog.records,
    `${namespace}.ceiling-perf`,
  );
  metrics.push(
    { metric: 'ceiling kafkajs consume msg/s (incl. group join)', value: kafkajs.perSecond, unit: 'msg/s' },
    { metric: 'ceiling ConsumerPerformance MB/s', value: perf.mbPerSecond, unit: 'MB/s' },
    { metric: 'ceiling ConsumerPerformance msg/s', value: perf.recordsPerSecond, unit: 'msg/s' },
    {
      metric: 'ceiling ConsumerPerformance fetch MB/s (excl. join)',
      value: perf.fetchMbPerSecond,
      unit: 'MB/s',
    },
    {
      metric: 'ceiling ConsumerPerformance fetch msg/s (excl. join)',
      value: perf.fetchRecordsPerSecond,
      unit: 'msg/s',
    },
  );
}

interface RunSettings {
  options: Options;
  metrics: BenchMetric[];
  newNamespace: () => string;
}

/**
 * Throughput over the backlog. A shared backlog is read by runs that do not collide (Kafka Streams:
 * one application id per run); otherwise the run gets a namespace and a copy of the backlog of its
 * own (same seed and start, so the same records).
 */
async function throughputRun(
  kafka: ReturnType<typeof createKafka>,
  engine: Engine,
  guarantee: Guarantee,
  {
    options,
    metrics,
    newNamespace,
    shared,
  }: RunSettings & { shared?: { namespace: string; backlog: Backlog } },
): Promise<ThroughputResult> {
  let input = shared;
  if (!input) {
    const namespace = newNamespace();
    const backlog = await writeBacklog(kafka, {
      topic: engine.inputTopic(namespace),
      events: options.events,
      startMs: options.backlogStartMs,
    });
    input = { namespace, backlog };
  }
  log(`${engine.label} ${guarantee}: throughput over ${input.backlog.records} records`);
  metrics.push(loadAverage(`${engine.label} ${guarantee} throughput`));
  const result = await measureThroughput(kafka, engine, {
    namespace: input.namespace,
    name: `${input.namespace}-${engine.label}-${SHORT[guarantee]}`,
    guarantee,
    backlog: input.backlog,
    timeoutMs: THROUGHPUT_TIMEOUT_MS,
  });
  report(`${engine.label} ${guarantee} vs reference`, result.comparison);
  if (result.eventsPerSecond === undefined) {
    log(`${engine.label} ${guarantee}: not every expected result within ${THROUGHPUT_TIMEOUT_MS / 1000} s`);
  } else {
    log(`${engine.label} ${guarantee}: ${Math.round(result.eventsPerSecond)} events/s`);
    metrics.push(
      { metric: `${engine.label} ${guarantee} events/s`, value: result.eventsPerSecond, unit: 'events/s' },
      {
        metric: `${engine.label} ${guarantee} events/s from ready`,
        value: result.eventsPerSecondFromReady ?? Number.NaN,
        unit: 'events/s',
      },
    );
  }
  metrics.push({
    metric: `${engine.label} ${guarantee} rows differing from reference`,
    value: differing(result.comparison),
    unit: 'rows',
    target: '0',
  });
  return result;
}

/** p99 latency at a fixed rate on a fresh topic; undefined when no result came after the warm-up. */
async function latencyRun(
  kafka: ReturnType<typeof createKafka>,
  engine: Engine,
  guarantee: Guarantee,
  { options, metrics, newNamespace }: RunSettings,
): Promise<number | undefined> {
  const namespace = newNamespace();
  log(`${engine.label} ${guarantee}: latency at ${options.rate} events/s for ${options.latencySeconds} s`);
  metrics.push(loadAverage(`${engine.label} ${guarantee} latency`));
  const latency = await measureLatency(kafka, engine, {
    namespace,
    name: `${namespace}-${engine.label}-${SHORT[guarantee]}`,
    guarantee,
    eventsPerSecond: options.rate,
    durationMs: options.latencySeconds * 1000,
    warmupMs: LATENCY_WARMUP_MS,
  });
  if (!latency) {
    log(`${engine.label} ${guarantee}: no window results after the warm-up`);
    return undefined;
  }
  log(`${engine.label} ${guarantee}: p99 ${latency.p99Ms} ms, p50 ${latency.p50Ms} ms`);
  const at = `at ${options.rate} events/s`;
  metrics.push(
    { metric: `${engine.label} ${guarantee} p99 latency ${at}`, value: latency.p99Ms, unit: 'ms' },
    { metric: `${engine.label} ${guarantee} p50 latency ${at}`, value: latency.p50Ms, unit: 'ms' },
    { metric: `${engine.label} ${guarantee} max latency ${at}`, value: latency.maxMs, unit: 'ms' },
    { metric: `${engine.label} ${guarantee} results measured ${at}`, value: latency.results, unit: 'rows' },
    {
      metric: `${engine.label} ${guarantee} results missing ${at}`,
      value: latency.missing,
      unit: 'rows',
      target: '0',
    },
  );
  return latency.p99Ms;
}

/** The machine is shared: each run records the load it started under. */
function loadAverage(label: string): BenchMetric {
  return { metric: `${label}: load average (1 min) at start`, value: os.loadavg()[0] ?? 0, unit: 'load' };
}

function differing(comparison: RowComparison): number {
  return comparison.missing + comparison.unexpected + comparison.different;
}

function report(label: string, comparison: RowComparison): void {
  const { expected, actual, missing, unexpected, different } = comparison;
  log(
    `${label}: ${expected} expected, ${actual} got, ${missing} missing, ${unexpected} unexpected, ${different} different`,
  );
  for (const example of comparison.examples) log(`  ${example}`);
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    events: 1_000_000,
    rate: 5000,
    latencySeconds: 40,
    skipLatency: false,
    skipThroughput: false,
    skipCeiling: false,
    backlogStartMs: Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000,
  };
  for (const arg of args) {
    const [name, value] = arg.split('=');
    if (name === '--events') options.events = Number(value);
    else if (name === '--rate') options.rate = Number(value);
    else if (name === '--latency-seconds') options.latencySeconds = Number(value);
    else if (name === '--skip-latency') options.skipLatency = true;
    else if (name === '--skip-throughput') options.skipThroughput = true;
    else if (name === '--skip-ceiling') options.skipCeiling = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function log(message: string): void {
  console.error(`[peers] ${message}`);
}
