// One throughput run (an engine over a backlog already on its input topic) and one latency run (an
// engine fed at a fixed rate), measured identically for every engine.
import type { Kafka } from 'kafkajs';
import type { Backlog } from '../lib/backlog.ts';
import { createAppendTimeTopic, produceAtFixedRate } from '../lib/fixed-rate.ts';
import { readInputLog, summarizeLatency, type LatencySummary } from '../lib/latency.ts';
import { startOutputReader } from '../lib/output-reader.ts';
import type { Guarantee } from '../lib/tideline-processor.ts';
import { compareRows, type RowComparison, type WindowRow } from '../lib/window-rows.ts';
import { MARKET_WINDOWS, type Engine } from './engines.ts';

export interface ThroughputResult {
  /**
   * Input records per second from spawning the engine's process to its last result visible: JVM or
   * Node start-up, group join and state set-up included. The figure the ratios use: it needs no
   * engine's own notion of "ready" (the processor answers /readyz only once its runners are up,
   * by which time a small backlog may be half processed).
   */
  eventsPerSecond: number | undefined;
  /** From the engine reporting itself up (Kafka Streams RUNNING, the processor's /readyz); informational. */
  eventsPerSecondFromReady: number | undefined;
  seconds: number | undefined;
  /** The engine's final rows against the reference computed from the backlog. */
  comparison: RowComparison;
  rows: Map<string, WindowRow>;
}

export async function measureThroughput(
  kafka: Kafka,
  engine: Engine,
  options: { namespace: string; name: string; guarantee: Guarantee; backlog: Backlog; timeoutMs: number },
): Promise<ThroughputResult> {
  const run = await engine.start(options);
  const reader = await startOutputReader(kafka, {
    groupId: `${options.name}.reader`,
    topics: run.outputTopics,
    parse: run.parse,
  });
  let lastVisibleMs: number | undefined;
  try {
    lastVisibleMs = await reader.waitForKeys(options.backlog.expected.keys(), options.timeoutMs, () => {
      const exit = run.exit();
      return exit === undefined ? undefined : `${engine.label} exited (${exit}) before its last result`;
    });
    // A moment more, so extra rows (duplicates, unexpected windows) are seen and counted.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await run.stop();
    await reader.stop();
  }
  const rows = new Map<string, WindowRow>(
    [...reader.rows].map(([key, { firstVisibleAtMs: _, ...row }]) => [key, row]),
  );
  const records = options.backlog.records;
  const seconds = lastVisibleMs === undefined ? undefined : (lastVisibleMs - run.spawnedAtMs) / 1000;
  return {
    eventsPerSecond: seconds === undefined ? undefined : records / seconds,
    eventsPerSecondFromReady:
      lastVisibleMs === undefined ? undefined : records / ((lastVisibleMs - run.readyAtMs) / 1000),
    seconds,
    comparison: compareRows(options.backlog.expected, rows),
    rows,
  };
}

export async function measureLatency(
  kafka: Kafka,
  engine: Engine,
  options: {
    namespace: string;
    name: string;
    guarantee: Guarantee;
    eventsPerSecond: number;
    durationMs: number;
    warmupMs: number;
  },
): Promise<LatencySummary | undefined> {
  const inputTopic = engine.inputTopic(options.namespace);
  await createAppendTimeTopic(kafka, inputTopic);
  const run = await engine.start(options);
  const reader = await startOutputReader(kafka, {
    groupId: `${options.name}.reader`,
    topics: run.outputTopics,
    parse: run.parse,
  });
  let sent: number;
  try {
    sent = await produceAtFixedRate(kafka, {
      topic: inputTopic,
      eventsPerSecond: options.eventsPerSecond,
      durationMs: options.durationMs,
    });
    // Windows that became closable near the end still need to come out: a result later than this
    // would be missing from the figures, so the run also reports how many results it measured.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  } finally {
    await run.stop();
    await reader.stop();
  }
  const log = await readInputLog(kafka, inputTopic, sent, MARKET_WINDOWS);
  return summarizeLatency(reader.rows, log, log.firstAppendMs + options.warmupMs);
}
