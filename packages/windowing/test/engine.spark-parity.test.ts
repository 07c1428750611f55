import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  Aggregates,
  EmitStrategy,
  OutputKind,
  TimeWindows,
  WindowingTestDriver,
  type WindowResult,
} from '../src/index.ts';

// The default mode against the naive reading of Spark Structured Streaming's rules for the job
//   trades.withWatermark("ts", delay).groupBy(window("ts", size, slide), "symbol")
//         .agg(avg("price"), min("price"), max("price"), count("*"))   -- output mode append
//   - a row for a window is dropped as late when window.end <= watermark;
//   - a window is emitted, once, and evicted when window.end <= watermark;
//   - the watermark is max(event time seen) - delay, moved after every record.
// The default engine (graceMs 0, onWindowClose) implements that reading. Real Spark 3.5 lags its late
// filter by a batch and sums per batch: that is the engine's Spark mode, checked against golden files
// written by real Spark in engine.spark-golden.test.ts. Spark has no end of input: the engine's endOfInput()
// is what a batch query over the same file computes, or a later record far enough ahead.

interface Trade {
  readonly symbol: string;
  readonly side: string;
  readonly price: number;
  readonly volume: number;
  readonly timestampMs: number;
}

// The repository's copy of ../shared/seed-data/market/sample_trades.csv (contracts' fixtures).
const SAMPLE = new URL('../../contracts/test/fixtures/seed/market/sample_trades.csv', import.meta.url);

function readTrades(): Trade[] {
  return readFileSync(SAMPLE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [symbol, side, price, volume, timestampMs] = line.split(',');
      return {
        symbol: String(symbol),
        side: String(side).trim(),
        price: Number(price),
        volume: Number(volume),
        timestampMs: Number(timestampMs),
      };
    });
}

const aggregates = {
  avg: Aggregates.avg((t: Trade) => t.price),
  min: Aggregates.min((t: Trade) => t.price),
  max: Aggregates.max((t: Trade) => t.price),
  count: Aggregates.count<Trade>(),
};
type Prices = { avg: number; min: number; max: number; count: number };

function sparkJob(sizeMs: number, slideMs: number, delayMs: number) {
  return new WindowingTestDriver<string, Trade, Prices>({
    windows: TimeWindows.ofSizeAndGrace(sizeMs, 0).advanceBy(slideMs),
    aggregates,
    maxOutOfOrdernessMs: delayMs,
    emit: EmitStrategy.onWindowClose(),
  });
}

/** "21:01:10" in UTC+10, the sample's local time. */
function local(ms: number): string {
  return new Date(ms + 10 * 3_600_000).toISOString().slice(11, 19);
}

interface Row {
  symbol: string;
  start: string;
  end: string;
  avg: number;
  min: number;
  max: number;
  count: number;
}

function rows(results: readonly WindowResult<string, Prices>[]): Row[] {
  return results
    .map((r) => ({
      symbol: r.key,
      start: local(r.window.startMs),
      end: local(r.window.endMs),
      avg: r.value.avg,
      min: r.value.min,
      max: r.value.max,
      count: r.value.count,
    }))
    .sort(
      (a, b) =>
        a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.symbol.localeCompare(b.symbol),
    );
}

/**
 * Spark's append mode spelled out literally, one record per micro-batch: filter the record's window rows by
 * the previous watermark, fold them into the state, move the watermark, evict and emit what it closed;
 * at the end, emit what remains (a batch query's answer).
 */
function sparkAppendMode(trades: readonly Trade[], sizeMs: number, slideMs: number, delayMs: number): Row[] {
  const state = new Map<string, { symbol: string; startMs: number; endMs: number; prices: number[] }>();
  const emitted: WindowResult<string, Prices>[] = [];
  let maxEventTime = Number.NEGATIVE_INFINITY;
  let watermark = 0; // Spark's watermark starts at 0 ms
  const emit = (s: { symbol: string; startMs: number; endMs: number; prices: number[] }) => {
    let sum = 0;
    for (const p of s.prices) sum += p;
    emitted.push({
      kind: OutputKind.result,
      key: s.symbol,
      window: { startMs: s.startMs, endMs: s.endMs },
      value: {
        avg: sum / s.prices.length,
        min: Math.min(...s.prices),
        max: Math.max(...s.prices),
        count: s.prices.length,
      },
      eventCount: s.prices.length,
      firing: 0,
      timing: 'on-time',
      final: true,
      watermarkMs: watermark,
    });
  };
  for (const t of trades) {
    // TimeWindowing: every window start <= ts < start + size on the slide grid
    for (
      let start = t.timestampMs - (t.timestampMs % slideMs) - sizeMs + slideMs;
      start <= t.timestampMs;
      start += slideMs
    ) {
      const endMs = start + sizeMs;
      if (!(start <= t.timestampMs && t.timestampMs < endMs)) continue;
      if (endMs <= watermark) continue; // late: window.end <= watermark
      const id = `${t.symbol}|${start}`;
      const s = state.get(id) ?? { symbol: t.symbol, startMs: start, endMs, prices: [] };
      s.prices.push(t.price);
      state.set(id, s);
    }
    maxEventTime = Math.max(maxEventTime, t.timestampMs);
    watermark = Math.max(watermark, maxEventTime - delayMs);
    for (const [id, s] of state) {
      if (s.endMs <= watermark) {
        emit(s);
        state.delete(id);
      }
    }
  }
  for (const s of state.values()) emit(s);
  return rows(emitted);
}

describe('Spark Structured Streaming parity (append mode)', () => {
  test('the sample trades give 7 rows with a 10 s window sliding 5 s and a 5 s watermark delay', () => {
    const driver = sparkJob(10_000, 5_000, 5_000);
    for (const t of readTrades()) driver.pipe(t.symbol, t, t.timestampMs);
    assert.deepEqual(
      driver.readResults(),
      [],
      'no window ends at or before the last watermark, 21:01:14.088',
    );
    driver.endOfInput();
    const got = rows(driver.readResults());
    assert.equal(got.length, 7);
    const expected: Row[] = [
      {
        symbol: 'AGL',
        start: '21:01:05',
        end: '21:01:15',
        avg: (496.53 + 26.57) / 2,
        min: 26.57,
        max: 496.53,
        count: 2,
      },
      {
        symbol: 'AMC',
        start: '21:01:05',
        end: '21:01:15',
        avg: (158.84 + 755.46) / 2,
        min: 158.84,
        max: 755.46,
        count: 2,
      },
      {
        symbol: 'AGL',
        start: '21:01:10',
        end: '21:01:20',
        avg: (496.53 + 26.57 + 948.21 + 910.43) / 4,
        min: 26.57,
        max: 948.21,
        count: 4,
      },
      {
        symbol: 'AMC',
        start: '21:01:10',
        end: '21:01:20',
        avg: (158.84 + 755.46) / 2,
        min: 158.84,
        max: 755.46,
        count: 2,
      },
      {
        symbol: 'ANZ',
        start: '21:01:10',
        end: '21:01:20',
        avg: (899.6 + 494.85 + 26.44) / 3,
        min: 26.44,
        max: 899.6,
        count: 3,
      },
      {
        symbol: 'AGL',
        start: '21:01:15',
        end: '21:01:25',
        avg: (948.21 + 910.43) / 2,
        min: 910.43,
        max: 948.21,
        count: 2,
      },
      {
        symbol: 'ANZ',
        start: '21:01:15',
        end: '21:01:25',
        avg: (899.6 + 494.85 + 26.44) / 3,
        min: 26.44,
        max: 899.6,
        count: 3,
      },
    ];
    assert.deepStrictEqual(got, expected);
    const agl = got.find((r) => r.symbol === 'AGL' && r.start === '21:01:10');
    assert.equal(agl?.avg.toFixed(3), '595.435');
  });

  test('the sample trades match the literal Spark rule with a 3 s window sliding 1 s and a 5 s delay', () => {
    const trades = readTrades();
    const driver = sparkJob(3_000, 1_000, 5_000);
    for (const t of trades) driver.pipe(t.symbol, t, t.timestampMs);
    const beforeEnd = rows(driver.readResults());
    // The watermark reaches 21:01:14.088: the windows ending at :12, :13 and :14 are final already.
    assert.deepEqual([...new Set(beforeEnd.map((r) => r.end))], ['21:01:12', '21:01:13', '21:01:14']);
    assert.equal(beforeEnd.length, 5, 'AMC [:09, :12), AMC and AGL [:10, :13), AMC and AGL [:11, :14)');
    driver.endOfInput();
    const all = [...beforeEnd, ...rows(driver.readResults())].sort(
      (a, b) => a.start.localeCompare(b.start) || a.symbol.localeCompare(b.symbol),
    );
    assert.deepStrictEqual(all, sparkAppendMode(trades, 3_000, 1_000, 5_000));
    assert.equal(all.length, 20, 'AMC 6 windows, AGL 9, ANZ 5');
  });

  test('late trades are dropped window by window exactly where Spark drops them', () => {
    const trades = readTrades();
    const at = (hhmmss: string) => Date.parse(`2018-08-21T${hhmmss}+10:00`);
    const late: Trade[] = [
      // every window of 21:01:09.5 ends by :12, behind the watermark of 21:01:14.088: dropped entirely
      { symbol: 'AMC', side: 'BUY', price: 100, volume: 1, timestampMs: at('21:01:09.500') },
      // [:10, :13) and [:11, :14) are closed; [:12, :15) is still open and takes it
      { symbol: 'AMC', side: 'BUY', price: 200, volume: 1, timestampMs: at('21:01:12.500') },
    ];
    const input = [...trades, ...late];
    const driver = sparkJob(3_000, 1_000, 5_000);
    for (const t of input) driver.pipe(t.symbol, t, t.timestampMs);
    driver.endOfInput();
    const outputs = driver.readOutput();
    const lateRecords = outputs.filter((o) => o.kind === OutputKind.late);
    assert.deepEqual(
      lateRecords.map((o) => [o.value.price, o.windows.map((w) => `${local(w.startMs)}-${local(w.endMs)}`)]),
      [
        [100, ['21:01:07-21:01:10', '21:01:08-21:01:11', '21:01:09-21:01:12']],
        [200, ['21:01:10-21:01:13', '21:01:11-21:01:14']],
      ],
    );
    const results = outputs.filter((o): o is WindowResult<string, Prices> => o.kind === OutputKind.result);
    assert.deepStrictEqual(
      rows(results).sort((a, b) => a.start.localeCompare(b.start) || a.symbol.localeCompare(b.symbol)),
      sparkAppendMode(input, 3_000, 1_000, 5_000),
    );
    const amc = rows(results).find((r) => r.symbol === 'AMC' && r.start === '21:01:12');
    assert.deepEqual(amc && [amc.count, amc.min, amc.max], [2, 200, 755.46]);
  });
});
