// The recomputation a fault scenario is judged by: the run's raw log read back from the broker, and
// from it what the pipeline must have written. Readings: one per distinct valid trade (by eventId).
// Windows of `market-hopping`: each raw partition through its own @tideline/windowing engine, in
// offset order, with the job's settings (hopping 3 s advancing 1 s, no grace, maxOutOfOrderness 5 s,
// avg/min/max, emitted on window close): the windows that closed are the rows expected.
import { readToEnd } from '@tideline/kafka';
import { Aggregates, EmitStrategy, OutputKind, TimeWindows, WindowingEngine } from '@tideline/windowing';
import type { Kafka } from 'kafkajs';

export const MARKET_WINDOW_JOB = 'market-hopping';

export interface ExpectedWindow {
  key: string;
  windowStartMs: number;
  windowEndMs: number;
  count: number;
  avg: number;
  min: number;
  max: number;
}

export interface Recomputation {
  rawRecords: number;
  invalid: number;
  eventIds: Set<string>;
  /** Keyed by windowKey. */
  windows: Map<string, ExpectedWindow>;
}

export const windowKey = (key: string, startMs: number, endMs: number): string =>
  `${key}|${startMs}|${endMs}`;

type Results = { avg: number | null; min: number | null; max: number | null };

/** The processor's job settings as the engine takes them (services/processor/jobs/default.json, job market). */
function marketHoppingEngine(): WindowingEngine<string, number, Results> {
  const identity = (v: number): number => v;
  return new WindowingEngine<string, number, Results>({
    windows: TimeWindows.ofSizeAndGrace(3000, 0).advanceBy(1000),
    aggregates: {
      avg: Aggregates.avg(identity),
      min: Aggregates.min(identity),
      max: Aggregates.max(identity),
    } as never,
    maxOutOfOrdernessMs: 5000,
    emit: EmitStrategy.onWindowClose(),
  });
}

export async function recompute(kafka: Kafka, rawTopic: string, groupPrefix: string): Promise<Recomputation> {
  const engines = new Map<number, WindowingEngine<string, number, Results>>();
  const seenInPartition = new Map<number, Set<string>>();
  const result: Recomputation = { rawRecords: 0, invalid: 0, eventIds: new Set(), windows: new Map() };
  const collect = (engine: WindowingEngine<string, number, Results>): void => {
    for (const output of engine.drain()) {
      if (output.kind !== OutputKind.result) continue;
      const { avg, min, max } = output.value;
      if (avg === null || min === null || max === null) continue;
      const key = windowKey(output.key, output.window.startMs, output.window.endMs);
      result.windows.set(key, {
        key: output.key,
        windowStartMs: output.window.startMs,
        windowEndMs: output.window.endMs,
        count: output.eventCount,
        avg,
        min,
        max,
      });
    }
  };
  await readToEnd(kafka, {
    topic: rawTopic,
    groupPrefix,
    onMessage: (partition, message) => {
      result.rawRecords++;
      const trade = parseTrade(message.value?.toString());
      if (!trade) {
        result.invalid++;
        return;
      }
      result.eventIds.add(trade.eventId);
      let seen = seenInPartition.get(partition);
      if (!seen) seenInPartition.set(partition, (seen = new Set()));
      if (seen.has(trade.eventId)) return; // the processor's clean step drops a repeated event id
      seen.add(trade.eventId);
      let engine = engines.get(partition);
      if (!engine) engines.set(partition, (engine = marketHoppingEngine()));
      engine.process(trade.symbol, trade.price, trade.eventTimeMs, 0, trade.eventId);
      collect(engine);
    },
  });
  for (const engine of engines.values()) collect(engine);
  return result;
}

function parseTrade(
  text: string | undefined,
): { eventId: string; symbol: string; price: number; eventTimeMs: number } | undefined {
  try {
    const v = JSON.parse(text ?? '') as Record<string, unknown>;
    const { eventId, symbol, price, eventTimeMs } = v;
    if (typeof eventId !== 'string' || typeof symbol !== 'string') return undefined;
    if (typeof price !== 'number' || price < 0 || price > 1_000_000) return undefined;
    if (typeof eventTimeMs !== 'number') return undefined;
    return { eventId, symbol, price, eventTimeMs };
  } catch {
    return undefined;
  }
}
