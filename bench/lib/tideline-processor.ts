// The one place the benchmarks start Tideline's processor (services/processor), as a user runs it:
// `node services/processor/src/main.ts` with its configuration in the environment (PROCESSOR_*: the
// namespace, guarantee, jobs file and jobs, Kafka, Redis, port), and read its window results
// (WindowAggregate records with header `tl-kind: window` on `<ns>.processed.market.<SYMBOL>`).
// Checked against the processor as merged on main (97bef02); adjust here, and only here, when it changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Feed,
  ProcessedKind,
  RecordHeaders,
  stateKeys,
  topicNamer,
  type WindowAggregate,
} from '@tideline/contracts';
import { createKafka, ensureTopics } from '@tideline/kafka';
import { freePort, stopChild, waitReady } from '@tideline/service-kit';
import { deleteRedisKeys } from './cleanup.ts';
import type { RowParser } from './output-reader.ts';
import { stack } from './stack.ts';

export type Guarantee = 'exactly-once' | 'at-least-once';

export interface TidelineProcessorOptions {
  namespace: string;
  guarantee: Guarantee;
  /** Names of the processor's jobs to run (PROCESSOR_JOBS), from `jobsFile`. */
  jobs: readonly string[];
  /** A jobs file (PROCESSOR_JOBS_FILE); the processor's own jobs/default.json when absent. */
  jobsFile?: string;
  /** The checkout whose services/processor runs (default: this one). */
  root?: string;
  /** The symbols of the input: their processed topics are created up front, as for the peer's output. */
  symbols: readonly string[];
  brokers?: readonly string[];
  redisUrl?: string;
}

export interface TidelineProcessor {
  /** The topics the window results of the jobs land on. */
  outputTopics(): string[];
  /** When the process was spawned, and when its /readyz first answered 200. */
  spawnedAtMs: number;
  readyAtMs: number;
  /** Its HTTP server (health, metrics). */
  url: string;
  /** Exited without being asked to, or no longer answers /healthz. */
  crashed(): Promise<boolean>;
  /** How the process ended (`code 1`, `SIGKILL`), or undefined while it runs. */
  exit(): string | undefined;
  stop(): Promise<void>;
}

const ownRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainOf = (root: string) => path.join(root, 'services', 'processor', 'src', 'main.ts');
/** The processor's default for PROCESSOR_OUTPUT_PARTITIONS. */
const PARTITIONS = 3;
const READY_TIMEOUT_MS = 120_000;

/** Whether the checkout has the processor; the reason when it has not. */
export function tidelineProcessorAvailability(
  root = ownRoot,
): { available: true } | { available: false; reason: string } {
  return existsSync(mainOf(root))
    ? { available: true }
    : { available: false, reason: `${mainOf(root)} does not exist` };
}

export async function startTidelineProcessor(options: TidelineProcessorOptions): Promise<TidelineProcessor> {
  const brokers = options.brokers ?? stack.kafkaBrokers;
  const names = topicNamer(options.namespace);
  const outputs = options.symbols.map((symbol) =>
    names.topicName({ kind: 'processed', feed: Feed.market, symbol }),
  );
  const kafka = createKafka({ clientId: 'bench-tideline', brokers });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // As for the peer's output topic: created before the clock starts, with the processor's partitions.
    await ensureTopics(
      admin,
      outputs.map((topic) => ({ topic, partitions: PARTITIONS })),
    );
  } finally {
    await admin.disconnect();
  }
  const root = options.root ?? ownRoot;
  const port = await freePort();
  const spawnedAtMs = Date.now();
  const child = spawn(process.execPath, [mainOf(root)], {
    cwd: root,
    env: {
      ...process.env,
      PROCESSOR_TOPIC_NAMESPACE: options.namespace,
      PROCESSOR_GUARANTEE: options.guarantee,
      PROCESSOR_JOBS: options.jobs.join(','),
      ...(options.jobsFile ? { PROCESSOR_JOBS_FILE: options.jobsFile } : {}),
      PROCESSOR_KAFKA_BROKERS: brokers.join(','),
      PROCESSOR_REDIS_URL: options.redisUrl ?? stack.redisUrl,
      PROCESSOR_PORT: String(port),
      PROCESSOR_LOG_LEVEL: 'warn',
      // No level catalogue: the market job has no level alerts, and no source-api runs here.
      PROCESSOR_CATALOGUE_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    await stopChild(child, 30_000);
  };
  const base = `http://127.0.0.1:${port}`;
  await waitReady(child, base, { name: 'the processor', timeoutMs: READY_TIMEOUT_MS, pollMs: 100 });
  return {
    outputTopics: () => [...outputs],
    spawnedAtMs,
    readyAtMs: Date.now(),
    url: base,
    exit: () => exitOf(child),
    crashed: async () =>
      child.exitCode !== null ||
      child.signalCode !== null ||
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )),
    stop,
  };
}

/** Window results of `job` on a processed market topic, as rows (other records give undefined). */
export function tidelineRowParser(job: string): RowParser {
  return (message) => {
    if (message.headers?.[RecordHeaders.kind]?.toString() !== ProcessedKind.window) return undefined;
    const value = JSON.parse(message.value?.toString() ?? 'null') as WindowAggregate | null;
    if (!value || value.job !== job) return undefined;
    const { avg, min, max } = value.aggregates;
    if (typeof avg !== 'number' || typeof min !== 'number' || typeof max !== 'number') return undefined;
    return {
      symbol: value.key,
      windowStartMs: value.windowStartMs,
      windowEndMs: value.windowEndMs,
      avg,
      min,
      max,
      count: value.count,
    };
  };
}

/** Deletes the processor's Redis state of a namespace (its topics and consumer groups carry the namespace). */
export async function deleteTidelineState(namespace: string, redisUrl = stack.redisUrl): Promise<number> {
  const prefix = stateKeys(namespace).jobs('').slice(0, -'jobs:'.length);
  return deleteRedisKeys(redisUrl, prefix);
}

function exitOf(child: ChildProcess): string | undefined {
  if (child.signalCode !== null) return child.signalCode;
  return child.exitCode === null ? undefined : `code ${child.exitCode}`;
}
