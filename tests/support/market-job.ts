// A batch recomputation of the processor's market-hopping job, straight from the windowing engine:
// what the committed outputs must equal, partition by partition (each partition has its own watermark).
import type { MarketTrade } from '@tideline/contracts';
import { readToEnd } from '@tideline/kafka';
import type { Kafka } from 'kafkajs';
import { Aggregates, OutputKind, TimeWindows, WindowingEngine } from '@tideline/windowing';

export interface MarketWindow {
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/**
 * The windows the job closes over the trades of each partition, in offset order: hopping 3 s every
 * 1 s, 5 s watermark delay, final results; a repeated event id counts once (the processor's dedup).
 */
export function recomputeMarketHopping(
  byPartition: ReadonlyMap<number, readonly MarketTrade[]>,
): MarketWindow[] {
  const windows: MarketWindow[] = [];
  for (const trades of byPartition.values()) {
    const engine = new WindowingEngine<string, MarketTrade, { avg: number; min: number; max: number }>({
      windows: TimeWindows.ofSizeWithNoGrace(3000).advanceBy(1000),
      aggregates: {
        avg: Aggregates.avg((x) => x.price),
        min: Aggregates.min((x) => x.price),
        max: Aggregates.max((x) => x.price),
      },
      maxOutOfOrdernessMs: 5000,
    });
    const seen = new Set<string>();
    for (const trade of trades) {
      if (seen.has(trade.eventId)) continue;
      seen.add(trade.eventId);
      engine.process(trade.symbol, trade, trade.eventTimeMs, 0);
    }
    for (const o of engine.drain()) {
      if (o.kind !== OutputKind.result) continue;
      windows.push({
        key: o.key,
        startMs: o.window.startMs,
        endMs: o.window.endMs,
        ...o.value,
        count: o.eventCount,
      });
    }
  }
  return windows;
}

/** The trades of a raw topic as they landed, partition by partition, in offset order. */
export async function rawTradesByPartition(
  kafka: Kafka,
  topic: string,
  groupPrefix: string,
): Promise<Map<number, MarketTrade[]>> {
  const byPartition = new Map<number, MarketTrade[]>();
  await readToEnd(kafka, {
    topic,
    groupPrefix,
    onMessage: (partition, m) => {
      let list = byPartition.get(partition);
      if (list === undefined) byPartition.set(partition, (list = []));
      list.push(JSON.parse(String(m.value)) as MarketTrade);
    },
  });
  return byPartition;
}
