import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Aggregates, Compatibility, OutputKind, TimeWindows, WindowingEngine } from '../src/index.ts';
import { sparkOracle } from './support/spark-oracle.ts';

// The engine's Spark mode against golden files written by real Spark 3.5 (tools/spark-conformance): the
// same input batches give the same rows, emitted by the same micro-batch, with counts, minima and maxima
// exact and averages bit for bit.

interface Golden {
  dataset: string;
  generator: { seed: number };
  spark: string;
  job: { sizeMs: number; slideMs: number; delayMs: number };
  /** Input micro-batches: [symbol, price as written, event time ms]. */
  batches: [string, string, number][][];
  sparkBatchIds: number[];
  rows: SparkRow[];
  batchQueryRows?: SparkRow[];
}

interface SparkRow {
  batch: number;
  symbol: string;
  startMs: number;
  endMs: number;
  avg: number;
  avgBits: string;
  min: number;
  max: number;
  count: number;
}

interface Trade {
  price: number;
}
type Prices = { avg: number; min: number; max: number; count: number };

const dir = new URL('./golden/', import.meta.url);
const goldens: Golden[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Golden);

function bits(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function engine(g: Golden) {
  return new WindowingEngine<string, Trade, Prices>({
    windows: TimeWindows.ofSizeWithNoGrace(g.job.sizeMs).advanceBy(g.job.slideMs),
    aggregates: {
      avg: Aggregates.avg((t: Trade) => t.price),
      min: Aggregates.min((t: Trade) => t.price),
      max: Aggregates.max((t: Trade) => t.price),
      count: Aggregates.count<Trade>(),
    },
    maxOutOfOrdernessMs: g.job.delayMs,
    compatibility: Compatibility.spark35,
  });
}

function rowsOf(e: WindowingEngine<string, Trade, Prices>, batch: number): SparkRow[] {
  const rows: SparkRow[] = [];
  for (const o of e.drain()) {
    if (o.kind !== OutputKind.result) continue;
    rows.push({
      batch,
      symbol: o.key,
      startMs: o.window.startMs,
      endMs: o.window.endMs,
      avg: o.value.avg,
      avgBits: bits(o.value.avg),
      min: o.value.min,
      max: o.value.max,
      count: o.value.count,
    });
  }
  return rows;
}

const order = (a: SparkRow, b: SparkRow) =>
  a.batch - b.batch || a.startMs - b.startMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/** Feeds the batches as Spark read them, then lets the trigger find no more data (a no-data batch). */
function runStream(g: Golden): { rows: SparkRow[]; batches: number } {
  const e = engine(g);
  const rows: SparkRow[] = [];
  for (const batch of g.batches) {
    const id = e.microBatchId as number;
    for (const [symbol, price, t] of batch) e.process(symbol, { price: Number(price) }, t);
    e.endMicroBatch();
    rows.push(...rowsOf(e, id));
  }
  for (;;) {
    const id = e.microBatchId as number;
    e.endMicroBatch();
    if (e.microBatchId === id) break;
    rows.push(...rowsOf(e, id));
  }
  return { rows: rows.sort(order), batches: e.microBatchId as number };
}

describe('Spark mode against golden files from real Spark 3.5', () => {
  test('the golden files cover one record per batch and batches of 1 to 20 records', () => {
    const names = goldens.map((g) => g.dataset);
    for (const name of ['one-per-batch', 'batches-1-to-20', 'seed-sample-10s-5s']) {
      assert.ok(names.includes(name), `golden file ${name}.json`);
    }
    const sizes = goldens.find((g) => g.dataset === 'batches-1-to-20')?.batches.map((b) => b.length) ?? [];
    assert.equal(Math.min(...sizes), 1);
    assert.equal(Math.max(...sizes), 20);
    assert.ok(goldens.every((g) => g.spark.startsWith('3.5.')));
  });

  for (const g of goldens) {
    test(`${g.dataset}: the same rows from the same micro-batches, averages bit for bit`, () => {
      const { rows, batches } = runStream(g);
      assert.equal(batches, g.sparkBatchIds.length, 'micro-batches run, no-data batches included');
      const expected = [...g.rows].sort(order);
      assert.deepStrictEqual(rows, expected);
    });
  }

  for (const g of goldens.filter((x) => x.batchQueryRows !== undefined)) {
    test(`${g.dataset}: end of input gives Spark's batch query over the same data`, () => {
      const e = engine(g);
      for (const batch of g.batches)
        for (const [s, price, t] of batch) e.process(s, { price: Number(price) }, t);
      e.endOfInput();
      const rows = rowsOf(e, -1).sort(order);
      assert.deepStrictEqual(rows, [...(g.batchQueryRows as SparkRow[])].sort(order));
    });
  }

  for (const g of goldens) {
    test(`${g.dataset}: the literal simulation the property tests use agrees with real Spark`, () => {
      const batches = g.batches.map((b) => b.map(([key, price, t]) => ({ key, value: Number(price), t })));
      const { rows, batchesRun } = sparkOracle(batches, g.job.sizeMs, g.job.slideMs, g.job.delayMs);
      assert.equal(batchesRun, g.sparkBatchIds.length);
      const simulated = rows
        .map((r) => ({
          batch: r.batch,
          symbol: r.key,
          startMs: r.startMs,
          count: r.count,
          avgBits: bits(r.sum / r.count),
        }))
        .sort((a, b) => a.batch - b.batch || a.startMs - b.startMs || (a.symbol < b.symbol ? -1 : 1));
      const spark = [...g.rows].sort(order).map((r) => ({
        batch: r.batch,
        symbol: r.symbol,
        startMs: r.startMs,
        count: r.count,
        avgBits: r.avgBits,
      }));
      assert.deepStrictEqual(simulated, spark);
    });
  }
});
