import { withEventId, type MarketTrade } from '@tideline/contracts';

/** A raw record as a test writes it: its partition, its text (valid trade or garbage). */
export interface RawRecord {
  readonly partition: number;
  readonly key: string;
  readonly text: string;
  /** The trade, when the text is one. */
  readonly trade?: MarketTrade;
}

export interface TradeSetOptions {
  readonly seed: number;
  readonly count: number;
  readonly symbols: readonly string[];
  readonly partitions: number;
  readonly startMs?: number;
  /** Mean gap between event times, ms. */
  readonly stepMs?: number;
}

/** A seeded generator (mulberry32): the same seed gives the same data on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trades with disorder (up to 2 s back), very late events (20 s back), exact duplicates (the same
 * record sent again shortly after) and a few malformed records. Each symbol has a fixed partition.
 */
export function tradeSet(options: TradeSetOptions): RawRecord[] {
  const rnd = random(options.seed);
  const start = options.startMs ?? Date.UTC(2026, 0, 5, 9);
  const step = options.stepMs ?? 50;
  const records: RawRecord[] = [];
  const partitionOf = (symbol: string) => options.symbols.indexOf(symbol) % options.partitions;
  let clock = start;
  for (let i = 0; i < options.count; i++) {
    clock += Math.floor(rnd() * step * 2);
    const symbol = options.symbols[Math.floor(rnd() * options.symbols.length)] as string;
    const r = rnd();
    const eventTimeMs = r < 0.02 ? clock - 20_000 : r < 0.25 ? clock - Math.floor(rnd() * 2000) : clock;
    const trade = withEventId({
      schemaVersion: 1,
      feed: 'market',
      symbol,
      side: rnd() < 0.5 ? 'BUY' : 'SELL',
      price: Math.round((50 + rnd() * 100) * 100) / 100,
      quantity: Math.floor(rnd() * 1000),
      eventTimeMs,
      source: 'test',
    }) as MarketTrade;
    const record = { partition: partitionOf(symbol), key: symbol, text: JSON.stringify(trade), trade };
    records.push(record);
    if (rnd() < 0.03) records.push(record);
    if (rnd() < 0.005) records.push({ partition: partitionOf(symbol), key: symbol, text: `{"truncated":` });
  }
  return records;
}

export interface WindowRow {
  readonly key: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export interface HoppingExpectation {
  readonly rows: WindowRow[];
  /** Records too late for at least one of their windows. */
  readonly late: number;
  readonly duplicates: number;
  readonly valid: number;
}

/**
 * What a hopping-window job must emit, computed here step by step and independently of the engine:
 * per partition, the watermark is the largest event time so far minus the delay; a record is late for
 * a window whose end is at or before the watermark as it stood before the record; a window is emitted
 * once, with the records it took, when the watermark reaches its end; sums run in arrival order.
 */
export function expectHopping(
  records: readonly RawRecord[],
  options: { sizeMs: number; advanceMs: number; delayMs: number },
): HoppingExpectation {
  const byPartition = new Map<number, RawRecord[]>();
  for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  const rows: WindowRow[] = [];
  let late = 0;
  let duplicates = 0;
  let valid = 0;
  for (const list of byPartition.values()) {
    let maxSeen = -Infinity;
    const seen = new Set<string>();
    const windows = new Map<string, { key: string; start: number; values: number[] }>();
    for (const r of list) {
      if (r.trade === undefined) continue;
      const t = r.trade;
      if (seen.has(t.eventId)) {
        duplicates++;
        continue;
      }
      seen.add(t.eventId);
      valid++;
      const watermark = maxSeen - options.delayMs;
      let missed = false;
      const firstStart =
        Math.floor((t.eventTimeMs - options.sizeMs) / options.advanceMs + 1) * options.advanceMs;
      for (let s = firstStart; s <= t.eventTimeMs; s += options.advanceMs) {
        if (s + options.sizeMs <= t.eventTimeMs) continue;
        if (s + options.sizeMs <= watermark) {
          missed = true;
          continue;
        }
        const id = `${t.symbol}|${s}`;
        const w = windows.get(id) ?? { key: t.symbol, start: s, values: [] };
        w.values.push(t.price);
        windows.set(id, w);
      }
      if (missed) late++;
      maxSeen = Math.max(maxSeen, t.eventTimeMs);
    }
    const finalWatermark = maxSeen - options.delayMs;
    for (const w of windows.values()) {
      if (w.start + options.sizeMs > finalWatermark) continue;
      let sum = 0;
      for (const v of w.values) sum += v;
      rows.push({
        key: w.key,
        windowStartMs: w.start,
        windowEndMs: w.start + options.sizeMs,
        avg: sum / w.values.length,
        min: Math.min(...w.values),
        max: Math.max(...w.values),
        count: w.values.length,
      });
    }
  }
  return { rows: sortRows(rows), late, duplicates, valid };
}

export function sortRows<T extends { key: string; windowStartMs: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStartMs - b.windowStartMs));
}
