import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { sparkOracle, type SparkOracleRow } from './support/spark-oracle.ts';
import {
  Aggregates,
  Compatibility,
  EmitStrategy,
  OutputKind,
  SessionWindows,
  TimeWindows,
  WindowingEngine,
  WindowingErrorCodes,
  type Output,
} from '../src/index.ts';

type Result = { sum: number; avg: number; count: number };
const aggregates = {
  sum: Aggregates.sum((v: number) => v),
  avg: Aggregates.avg((v: number) => v),
  count: Aggregates.count<number>(),
};

function sparkEngine(sizeMs = 10, slideMs = sizeMs, delayMs = 0) {
  return new WindowingEngine<string, number, Result>({
    windows: TimeWindows.ofSizeWithNoGrace(sizeMs).advanceBy(slideMs),
    aggregates,
    maxOutOfOrdernessMs: delayMs,
    compatibility: Compatibility.spark35,
  });
}

function results(outputs: Output<string, number, Result>[]): string[] {
  return outputs.flatMap((o) =>
    o.kind === OutputKind.result
      ? [`${o.key} [${o.window.startMs},${o.window.endMs}) n=${o.value.count}`]
      : [],
  );
}

describe('Spark mode (compatibility spark-3.5)', () => {
  test('late rows are filtered with the previous batch eviction watermark, windows evicted with the current', () => {
    const e = sparkEngine();
    e.process('a', 1, 100); // batch 0: nothing evicts (watermark 0); afterwards the watermark is 100
    e.endMicroBatch();
    assert.deepEqual(results(e.drain()), []);
    e.process('a', 1, 5); // batch 1 filters with 0: [0,10) is accepted, then evicted at 100
    e.endMicroBatch();
    assert.deepEqual(results(e.drain()), ['a [0,10) n=1']);
    e.process('a', 1, 6); // batch 2 filters with 100: dropped
    e.endMicroBatch();
    const outputs = e.drain();
    assert.deepEqual(results(outputs), []);
    assert.equal(outputs[0]?.kind, OutputKind.late);
    assert.equal(e.microBatchId, 3);
  });

  test('a no-data batch runs only when the watermark moved past the last eviction watermark', () => {
    const e = sparkEngine();
    e.process('a', 1, 3);
    e.process('a', 1, 25);
    e.endMicroBatch(); // evicts with 0; the watermark moves to 25
    assert.deepEqual(results(e.drain()), []);
    e.endMicroBatch(); // no data: Spark runs a batch to evict with 25
    assert.deepEqual(results(e.drain()), ['a [0,10) n=1']);
    assert.equal(e.microBatchId, 2);
    e.endMicroBatch(); // the watermark did not move: no batch
    assert.equal(e.microBatchId, 2);
    e.endOfInput();
    assert.deepEqual(results(e.drain()), ['a [20,30) n=1']);
  });

  test("a window's sum is its stored total plus each batch's subtotal, as Spark adds them", () => {
    const e = sparkEngine(1_000, 1_000, 1_000_000);
    e.process('a', 0.1, 1);
    e.endMicroBatch();
    e.process('a', 0.2, 2);
    e.process('a', 0.3, 3);
    e.endMicroBatch();
    e.endOfInput();
    const [r] = e.drain();
    assert.equal(r?.kind, OutputKind.result);
    if (r?.kind !== OutputKind.result) return;
    assert.equal(r.value.sum, 0.1 + (0.2 + 0.3));
    assert.notEqual(r.value.sum, 0.1 + 0.2 + 0.3, 'a left-to-right sum differs in the last bit');
    assert.equal(r.value.avg, (0.1 + (0.2 + 0.3)) / 3);
  });

  test('the watermark is global: the largest event time of any partition, and idleness does not apply', () => {
    const e = sparkEngine();
    e.process('a', 1, 50, 0);
    e.process('b', 1, 5, 1);
    e.markIdle(1);
    e.endMicroBatch();
    e.endMicroBatch();
    assert.deepEqual(results(e.drain()), ['b [0,10) n=1']);
    assert.equal(e.watermarkMs, 50);
  });

  test('Spark mode needs time windows without grace, append mode; endMicroBatch needs Spark mode', () => {
    const refused = [
      { windows: SessionWindows.ofInactivityGapWithNoGrace(10) },
      { windows: TimeWindows.ofSizeAndGrace(10, 5) },
      { windows: TimeWindows.ofSizeWithNoGrace(10), emit: EmitStrategy.onUpdate() },
    ];
    for (const options of refused) {
      assert.throws(
        () => new WindowingEngine({ ...options, aggregates, compatibility: Compatibility.spark35 }),
        { code: WindowingErrorCodes.invalidOptions },
      );
    }
    const plain = new WindowingEngine({ windows: TimeWindows.ofSizeWithNoGrace(10), aggregates });
    assert.throws(() => plain.endMicroBatch(), { code: WindowingErrorCodes.unsupported });
    assert.equal(plain.microBatchId, undefined);
  });

  test('changes and snapshots taken anywhere, even mid-batch, restore to exactly the uninterrupted run', () => {
    const step = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          key: fc.constantFrom('a', 'b'),
          cents: fc.integer({ min: 0, max: 10_000 }),
          t: fc.integer({ min: 0, max: 120 }),
        }),
      },
      { weight: 3, arbitrary: fc.constant('batch' as const) },
      { weight: 2, arbitrary: fc.constantFrom('changes' as const, 'snapshot' as const) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.integer({ min: 0, max: 20 }), (steps, delayMs) => {
        const options = {
          windows: TimeWindows.ofSizeWithNoGrace(12).advanceBy(4),
          aggregates,
          maxOutOfOrdernessMs: delayMs,
          compatibility: Compatibility.spark35,
        };
        const run = (restarts: boolean) => {
          let e = new WindowingEngine<string, number, Result>(options);
          const folded = new Map<string, unknown>();
          const out: unknown[] = [];
          for (const s of steps) {
            if (s === 'batch') e.endMicroBatch();
            else if (s === 'changes' || s === 'snapshot') {
              out.push(e.drain());
              const changes = e.takeChanges();
              for (const { key, state } of changes.keys) {
                if (state === null) folded.delete(key);
                else folded.set(key, JSON.parse(JSON.stringify(state)));
              }
              if (!restarts) continue;
              e =
                s === 'changes'
                  ? WindowingEngine.fromChanges(options, JSON.parse(JSON.stringify(changes.meta)), folded)
                  : WindowingEngine.fromSnapshot(options, JSON.parse(JSON.stringify(e.snapshot())));
            } else e.process(s.key, s.cents / 100, s.t);
          }
          e.endMicroBatch();
          e.endMicroBatch();
          out.push(e.drain(), e.microBatchId);
          return out;
        };
        assert.deepStrictEqual(run(true), run(false));
      }),
      { numRuns: 300 },
    );
  });

  test('random batches give the rows of a literal simulation of Spark, bit for bit', () => {
    const trade = fc.record({
      key: fc.constantFrom('a', 'b', 'c'),
      cents: fc.integer({ min: 0, max: 100_000 }),
      step: fc.integer({ min: 0, max: 30 }),
      behind: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 80 })),
    });
    const shape = fc.record({
      sizeMs: fc.integer({ min: 1, max: 20 }),
      fraction: fc.integer({ min: 1, max: 4 }),
      delayMs: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(shape, fc.array(fc.array(trade, { maxLength: 12 }), { maxLength: 25 }), (job, raw) => {
        const slideMs = Math.max(1, Math.ceil(job.sizeMs / job.fraction));
        let clock = 1_000;
        const batches = raw
          .map((b) =>
            b.map((r) => {
              clock += r.step;
              return { key: r.key, value: r.cents / 100, t: clock - r.behind };
            }),
          )
          .filter((b) => b.length > 0);
        const expected = sparkOracle(batches, job.sizeMs, slideMs, job.delayMs);
        const e = new WindowingEngine<string, number, Result & { min: number; max: number }>({
          windows: TimeWindows.ofSizeWithNoGrace(job.sizeMs).advanceBy(slideMs),
          aggregates: {
            ...aggregates,
            min: Aggregates.min((v: number) => v),
            max: Aggregates.max((v: number) => v),
          },
          maxOutOfOrdernessMs: job.delayMs,
          compatibility: Compatibility.spark35,
        });
        const rows: SparkOracleRow[] = [];
        const collect = (batch: number) => {
          for (const o of e.drain()) {
            if (o.kind !== OutputKind.result) continue;
            const { sum, count, min, max } = o.value;
            rows.push({
              batch,
              key: o.key,
              startMs: o.window.startMs,
              endMs: o.window.endMs,
              sum,
              count,
              min,
              max,
            });
          }
        };
        for (const b of batches) {
          const id = e.microBatchId as number;
          for (const r of b) e.process(r.key, r.value, r.t);
          e.endMicroBatch();
          collect(id);
        }
        const id = e.microBatchId as number;
        e.endMicroBatch();
        collect(id);
        const order = (x: SparkOracleRow, y: SparkOracleRow) =>
          x.batch - y.batch || x.startMs - y.startMs || x.key.localeCompare(y.key);
        assert.deepStrictEqual(rows.sort(order), expected.rows.sort(order));
        assert.equal(e.microBatchId, expected.batchesRun);
      }),
      { numRuns: 500 },
    );
  });
});
