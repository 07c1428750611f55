// Latency of window results, measured the same way for every engine: from the broker's append time of
// the first input record that let the window close (its partition's event time reached the window's
// end plus the grace) to the moment the result was visible to a read_committed consumer. It depends
// only on the logs, not on how an engine labels its outputs.
import { collectMessages } from '@tideline/kafka';
import type { Kafka } from 'kafkajs';
import type { VisibleRow } from './output-reader.ts';
import { rowKey } from './window-rows.ts';

interface PartitionLog {
  appendMs: number[];
  /** The highest event time seen up to and including each record. */
  maxEventMs: number[];
}

export interface InputLog {
  /** When the window ending at `windowEndMs` of `symbol` became closable, or undefined if it never did. */
  closableAtMs(symbol: string, windowEndMs: number): number | undefined;
  /** Every window holding at least one of the input's events. */
  windows(): { symbol: string; windowStartMs: number; windowEndMs: number }[];
  firstAppendMs: number;
}

export interface HoppingWindows {
  sizeMs: number;
  advanceMs: number;
  graceMs: number;
}

/** Reads back a topic written with log-append timestamps (see createAppendTimeTopic). */
export async function readInputLog(
  kafka: Kafka,
  topic: string,
  records: number,
  { sizeMs, advanceMs, graceMs }: HoppingWindows,
): Promise<InputLog> {
  const messages = await collectMessages(kafka, {
    topic,
    until: (seen) => seen.length >= records,
    timeoutMs: 60_000,
  });
  messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  const partitions = new Map<number, PartitionLog>();
  const partitionOf = new Map<string, number>();
  const windowStarts = new Map<string, Set<number>>();
  let firstAppendMs = Infinity;
  for (const message of messages) {
    const { eventTimeMs, symbol } = JSON.parse(message.value ?? '{}') as {
      eventTimeMs: number;
      symbol: string;
    };
    let starts = windowStarts.get(symbol);
    if (!starts) windowStarts.set(symbol, (starts = new Set()));
    const lastStart = Math.floor(eventTimeMs / advanceMs) * advanceMs;
    for (let start = lastStart; start > eventTimeMs - sizeMs; start -= advanceMs) starts.add(start);
    let log = partitions.get(message.partition);
    if (!log) partitions.set(message.partition, (log = { appendMs: [], maxEventMs: [] }));
    const appendMs = Number(message.timestamp);
    firstAppendMs = Math.min(firstAppendMs, appendMs);
    log.appendMs.push(appendMs);
    log.maxEventMs.push(Math.max(log.maxEventMs.at(-1) ?? -Infinity, eventTimeMs));
    if (message.key !== undefined) partitionOf.set(message.key, message.partition);
  }
  return {
    firstAppendMs,
    windows: () =>
      [...windowStarts].flatMap(([symbol, starts]) =>
        [...starts].map((windowStartMs) => ({ symbol, windowStartMs, windowEndMs: windowStartMs + sizeMs })),
      ),
    closableAtMs(symbol, windowEndMs) {
      const partition = partitionOf.get(symbol);
      const log = partition === undefined ? undefined : partitions.get(partition);
      if (!log) return undefined;
      const index = firstAtLeast(log.maxEventMs, windowEndMs + graceMs);
      return index === undefined ? undefined : log.appendMs[index];
    },
  };
}

export interface LatencySummary {
  results: number;
  /** Windows that became closable in the measured span but whose result never became visible. */
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Latencies of the windows that became closable after `fromMs` (the warm-up is left out). A window
 * without a visible result counts as missing, not in the percentiles.
 */
export function summarizeLatency(
  rows: ReadonlyMap<string, VisibleRow>,
  log: InputLog,
  fromMs: number,
): LatencySummary | undefined {
  const latencies: number[] = [];
  let missing = 0;
  for (const window of log.windows()) {
    const closableAt = log.closableAtMs(window.symbol, window.windowEndMs);
    if (closableAt === undefined || closableAt < fromMs) continue;
    const row = rows.get(rowKey(window));
    if (row) latencies.push(row.firstVisibleAtMs - closableAt);
    else missing++;
  }
  if (latencies.length === 0) return undefined;
  latencies.sort((a, b) => a - b);
  return {
    results: latencies.length,
    missing,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

function firstAtLeast(sorted: readonly number[], value: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? -Infinity) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? lo : undefined;
}
