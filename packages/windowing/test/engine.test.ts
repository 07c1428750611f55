import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Aggregates,
  CountWindows,
  SessionWindows,
  TimeWindows,
  WindowingEngine,
  WindowingErrorCodes,
  WindowingTestDriver,
} from '../src/index.ts';
import { brief, driver } from './support/jobs.ts';

describe('WindowingEngine windows', () => {
  test('a tumbling window fires once, when the watermark reaches its end', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 3).pipe('a', 2, 9);
    assert.deepEqual(d.readResults(), []);
    d.pipe('a', 4, 10);
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 3/2 on-time#0']);
    d.pipe('a', 8, 25);
    assert.deepEqual(brief(d.readResults()), ['a [10,20) 4/1 on-time#0']);
  });

  test('windows are half-open: an event at a window end belongs to the next window', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 0).pipe('a', 2, 10).endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 1/1 on-time#0', 'a [10,20) 2/1 on-time#0']);
  });

  test('results carry the key, window, values, count, firing number, timing and watermark', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10), maxOutOfOrdernessMs: 2 });
    d.pipe('k', 5, 4).pipe('k', 1, 13);
    assert.deepStrictEqual(d.readOutput(), [
      {
        kind: 'result',
        key: 'k',
        window: { startMs: 0, endMs: 10 },
        value: { sum: 5, count: 1 },
        eventCount: 1,
        firing: 0,
        timing: 'on-time',
        final: true,
        watermarkMs: 11,
      },
    ]);
  });

  test('an event belongs to every hopping window that covers it', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(3).advanceBy(1) });
    d.pipe('a', 1, 5).endOfInput();
    assert.deepEqual(brief(d.readResults()), [
      'a [3,6) 1/1 on-time#0',
      'a [4,7) 1/1 on-time#0',
      'a [5,8) 1/1 on-time#0',
    ]);
  });

  test('keys are aggregated separately and fire in order of window end, then of creation', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10), maxOutOfOrdernessMs: 20 });
    d.pipe('b', 1, 15).pipe('a', 2, 3).pipe('b', 3, 4).pipe('a', 4, 12).endOfInput();
    assert.deepEqual(brief(d.readResults()), [
      'a [0,10) 2/1 on-time#0',
      'b [0,10) 3/1 on-time#0',
      'b [10,20) 1/1 on-time#0',
      'a [10,20) 4/1 on-time#0',
    ]);
  });

  test('an offset shifts the window grid', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10).withOffsetMs(3) });
    d.pipe('a', 1, 2).pipe('a', 2, 3).endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [-7,3) 1/1 on-time#0', 'a [3,13) 2/1 on-time#0']);
  });

  test('an event that bridges two sessions merges them into one', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapWithNoGrace(5), maxOutOfOrdernessMs: 100 });
    d.pipe('a', 1, 0).pipe('a', 2, 8).pipe('a', 4, 4).endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [0,13) 7/3 on-time#0']);
  });

  test('events exactly one gap apart open separate sessions', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapWithNoGrace(5) });
    d.pipe('a', 1, 0).pipe('a', 2, 4).pipe('a', 3, 9).endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [0,9) 3/2 on-time#0', 'a [9,14) 3/1 on-time#0']);
  });

  test('a session closes when the watermark passes its last event plus the gap', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapWithNoGrace(5) });
    d.pipe('a', 1, 0).pipe('a', 1, 3).pipe('b', 1, 7);
    assert.deepEqual(brief(d.readResults()), []);
    d.pipe('b', 1, 8);
    assert.deepEqual(brief(d.readResults()), ['a [0,8) 2/2 on-time#0']);
  });

  test('count windows give the simple moving average of the last k events after each event', () => {
    const d = new WindowingTestDriver<string, number, { sma: number }>({
      windows: CountWindows.ofSize(3),
      aggregates: { sma: Aggregates.avg((v: number) => v) },
    });
    for (const [i, v] of [1, 2, 3, 4, 10].entries()) d.pipe('x', v, 1_000 - i);
    const results = d.readResults();
    assert.deepEqual(
      results.map((r) => r.value.sma),
      [1, 1.5, 2, 3, (3 + 4 + 10) / 3],
    );
    assert.deepEqual(results[4]?.window, { startMs: 996, endMs: 999, firstIndex: 2, lastIndex: 4 });
    assert.ok(results.every((r) => r.final && r.timing === 'on-time' && r.firing === 0));
  });

  test('count windows advancing by their size tumble, per key', () => {
    const d = driver({ windows: CountWindows.ofSize(2).advanceBy(2) });
    d.pipe('a', 1, 1).pipe('b', 10, 1).pipe('a', 2, 2).pipe('a', 3, 3).pipe('b', 20, 1).pipe('a', 4, 4);
    assert.deepEqual(
      d.readResults().map((r) => `${r.key} ${r.value.sum} ${r.window.firstIndex}-${r.window.lastIndex}`),
      ['a 3 0-1', 'b 30 0-1', 'a 7 2-3'],
    );
  });

  test('several named aggregates of one field come from one engine', () => {
    const d = new WindowingTestDriver<string, { price: number }, Record<string, number | null>>({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: {
        avg: Aggregates.avg((t: { price: number }) => t.price),
        min: Aggregates.min((t: { price: number }) => t.price),
        max: Aggregates.max((t: { price: number }) => t.price),
        count: Aggregates.count(),
        open: Aggregates.first((t: { price: number }) => t.price),
        close: Aggregates.last((t: { price: number }) => t.price),
        sma2: Aggregates.sma(2, (t: { price: number }) => t.price),
        ema: Aggregates.ema({ alpha: 0.5 }, (t: { price: number }) => t.price),
        sd: Aggregates.stddev((t: { price: number }) => t.price, { population: true }),
      },
    });
    d.pipe('s', { price: 4 }, 1).pipe('s', { price: 8 }, 2).pipe('s', { price: 6 }, 3).endOfInput();
    assert.deepEqual(d.readResults()[0]?.value, {
      avg: 6,
      min: 4,
      max: 8,
      count: 3,
      open: 4,
      close: 6,
      sma2: 7,
      ema: 6,
      sd: Math.sqrt(8 / 3),
    });
  });
});

describe('WindowingEngine watermarks', () => {
  test('the watermark is the largest event time minus the allowed out-of-orderness', () => {
    const engine = new WindowingEngine({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { n: Aggregates.count() },
      maxOutOfOrdernessMs: 5,
    });
    assert.equal(engine.watermarkMs, Number.NEGATIVE_INFINITY);
    engine.process('a', 0, 20);
    engine.process('a', 0, 12);
    assert.equal(engine.watermarkMs, 15);
  });

  test('the operator watermark is the minimum over active partitions', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 5, 0).pipe('a', 1, 30, 1);
    assert.equal(d.watermarkMs, 5);
    d.pipe('a', 1, 20, 0);
    assert.equal(d.watermarkMs, 20);
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 1/1 on-time#0']);
  });

  test('a partition marked idle stops holding the watermark back', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 5, 0).pipe('a', 1, 30, 1);
    d.markIdle(0);
    assert.equal(d.watermarkMs, 30);
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 1/1 on-time#0']);
  });

  test('a partition that receives a record becomes active again, and the watermark never goes back', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 5, 0).pipe('a', 1, 30, 1).markIdle(0);
    d.pipe('a', 1, 31, 0);
    assert.equal(
      d.watermarkMs,
      30,
      'partition 0 (31) is active again but cannot pull the watermark below 30',
    );
    d.pipe('a', 1, 50, 1);
    assert.equal(d.watermarkMs, 31, 'partition 0 holds it back again');
  });

  test('when every partition is idle the watermark moves to the largest of theirs', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 5, 0).pipe('a', 1, 30, 1).markIdle(1).markIdle(0);
    assert.equal(d.watermarkMs, 30);
  });

  test('declared partitions hold the watermark back until they deliver or go idle', () => {
    const d = new WindowingTestDriver<string, number, { n: number }>({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { n: Aggregates.count() },
      partitions: [0, 1],
    });
    d.pipe('a', 1, 50, 0);
    assert.equal(d.watermarkMs, Number.NEGATIVE_INFINITY);
    d.pipe('a', 1, 3, 1);
    assert.deepEqual(d.readLate(), [], 'a replayed partition behind the other is not late');
    assert.equal(d.watermarkMs, 3);
    d.markIdle(1);
    assert.equal(d.watermarkMs, 50);
  });

  test('end of input closes every open window', () => {
    const d = driver({
      windows: SessionWindows.ofInactivityGapAndGrace(100, 50),
      maxOutOfOrdernessMs: 1_000,
    });
    d.pipe('a', 1, 1).pipe('b', 2, 2).endOfInput();
    assert.equal(d.readResults().length, 2);
    assert.equal(d.metrics().openWindows, 0);
    assert.equal(d.watermarkMs, Number.POSITIVE_INFINITY);
  });
});

describe('WindowingEngine records and metrics', () => {
  test('a record with a non-finite event time or a bad partition is refused and changes nothing', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 1);
    const before = JSON.stringify(d.engine.snapshot());
    assert.throws(() => d.pipe('a', 1, Number.NaN), { code: WindowingErrorCodes.invalidRecord });
    assert.throws(() => d.pipe('a', 1, 2, -1), { code: WindowingErrorCodes.invalidRecord });
    assert.throws(() => d.pipe('a', 1, 2, 0.5), { code: WindowingErrorCodes.invalidRecord });
    assert.equal(JSON.stringify(d.engine.snapshot()), before);
  });

  test('metrics count events, results, open windows and keys', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10).advanceBy(5) });
    d.pipe('a', 1, 1).pipe('b', 1, 2).pipe('a', 1, 12);
    // a and b each closed [-5, 5) and [0, 10); a still holds [5, 15) and [10, 20)
    assert.equal(d.readResults().length, 4);
    assert.deepEqual(d.metrics(), {
      eventsIn: 3,
      duplicates: 0,
      lateAccepted: 0,
      lateDropped: 0,
      resultsEmitted: 4,
      retractionsEmitted: 0,
      openWindows: 2,
      keys: 1,
      watermarkMs: 12,
      processingTimeMs: 0,
    });
  });

  test('processing time never goes back', () => {
    const engine = new WindowingEngine({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { n: Aggregates.count() },
    });
    engine.advanceProcessingTime(100);
    engine.advanceProcessingTime(50);
    assert.equal(engine.processingTimeMs, 100);
    assert.throws(() => engine.advanceProcessingTime(Number.NaN), {
      code: WindowingErrorCodes.invalidRecord,
    });
  });
});
