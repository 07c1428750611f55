import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Aggregates,
  CountWindows,
  EmitStrategy,
  SNAPSHOT_FORMAT,
  SessionWindows,
  TimeWindows,
  WindowingEngine,
  WindowingErrorCodes,
  type Aggregate,
  type EngineSnapshot,
} from '../src/index.ts';
import { driver, sumAndCount } from './support/jobs.ts';

const options = {
  windows: TimeWindows.ofSizeAndGrace(10, 5),
  aggregates: {
    ...sumAndCount,
    min: Aggregates.min((v: number) => v),
    sd: Aggregates.stddev((v: number) => v),
  },
  emit: EmitStrategy.onUpdate({ throttleMs: 100 }),
  dedupHorizonMs: 50,
  partitions: [0, 1],
};

function busyEngine() {
  const engine = new WindowingEngine(options);
  engine.advanceProcessingTime(1_000);
  for (const [v, t, p] of [
    [1, 3, 0],
    [-0, 4, 1],
    [5, 12, 0],
    [2, 14, 1],
    [7, 8, 1],
  ] as const) {
    engine.process('k', v, t, p, `id-${t}`);
  }
  engine.drain();
  return engine;
}

describe('WindowingEngine snapshots', () => {
  test('a snapshot survives a JSON round trip and restores to the same state', () => {
    const engine = busyEngine();
    const snapshot = engine.snapshot();
    assert.equal(snapshot.format, SNAPSHOT_FORMAT);
    const text = JSON.stringify(snapshot);
    const restored = WindowingEngine.fromSnapshot(options, JSON.parse(text) as EngineSnapshot);
    assert.equal(JSON.stringify(restored.snapshot()), text);
    assert.deepEqual(restored.metrics(), engine.metrics());
  });

  test('a restored engine continues exactly as the original', () => {
    const original = busyEngine();
    const restored = WindowingEngine.fromSnapshot(options, JSON.parse(JSON.stringify(original.snapshot())));
    for (const engine of [original, restored]) {
      engine.process('k', 3, 9, 0, 'late-but-in-grace');
      engine.advanceProcessingTime(1_200);
      engine.process('j', 1, 30, 0);
      engine.process('j', 1, 31, 1);
      engine.endOfInput();
    }
    const expected = original.drain();
    assert.ok(expected.length > 3);
    assert.deepStrictEqual(restored.drain(), expected);
  });

  test('non-finite numbers and negative zero survive the round trip', () => {
    const engine = new WindowingEngine({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { min: Aggregates.min((v: number) => v), max: Aggregates.max((v: number) => v) },
    });
    engine.process('a', -0, 1);
    engine.process('b', Number.NEGATIVE_INFINITY, 2);
    engine.process('c', Number.NaN, 3);
    const restored = WindowingEngine.fromSnapshot(
      engine.options,
      JSON.parse(JSON.stringify(engine.snapshot())),
    );
    restored.endOfInput();
    const values = restored.drain().map((o) => (o.kind === 'result' ? o.value : undefined));
    assert.ok(Object.is((values[0] as { min: number }).min, -0));
    assert.equal((values[1] as { max: number }).max, Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN((values[2] as { min: number }).min));
  });

  test('a snapshot is refused while outputs are waiting to be drained', () => {
    const engine = new WindowingEngine(options);
    engine.process('k', 1, 1);
    assert.throws(() => engine.snapshot(), { code: WindowingErrorCodes.undrainedOutput });
  });

  test('a snapshot is refused by an engine with another configuration', () => {
    const snapshot = busyEngine().snapshot();
    assert.throws(() => WindowingEngine.fromSnapshot({ ...options, dedupHorizonMs: 60 }, snapshot), {
      code: WindowingErrorCodes.snapshotMismatch,
    });
  });

  test('a malformed snapshot is refused with a clear code', () => {
    const snapshot = busyEngine().snapshot();
    assert.throws(
      () =>
        WindowingEngine.fromSnapshot(options, {
          ...snapshot,
          format: 'other/1',
        } as unknown as EngineSnapshot),
      {
        code: WindowingErrorCodes.snapshotInvalid,
      },
    );
    assert.throws(() => WindowingEngine.fromSnapshot(options, { ...snapshot, state: { watermark: 3 } }), {
      code: WindowingErrorCodes.snapshotInvalid,
    });
  });

  test('an accumulator that is not plain data cannot be snapshotted', () => {
    const setOfValues: Aggregate<number, Set<number>, number> = {
      kind: 'distinct',
      create: () => new Set<number>(),
      add: (acc, v) => acc.add(v),
      merge: (a, b) => new Set([...a, ...b]),
      result: (acc) => acc.size,
    };
    const engine = new WindowingEngine({
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { distinct: setOfValues },
    });
    engine.process('a', 1, 1);
    assert.throws(() => engine.snapshot(), {
      code: WindowingErrorCodes.snapshotInvalid,
      message: /accumulators of key "a", window \[0, 10\).*Set/,
    });
  });

  test('count windows and sessions restore their rings and sessions', () => {
    for (const windows of [CountWindows.ofSize(3), SessionWindows.ofInactivityGapAndGrace(5, 5)]) {
      const d = driver({ windows, maxOutOfOrdernessMs: 2 });
      const plain = driver({ windows, maxOutOfOrdernessMs: 2 });
      for (const [i, t] of [1, 3, 12, 2, 30, 14, 50].entries()) {
        d.pipe('k', i, t);
        plain.pipe('k', i, t);
        if (i % 2 === 0) d.restart();
      }
      d.endOfInput();
      plain.endOfInput();
      assert.deepStrictEqual(d.readOutput(), plain.readOutput(), windows.toString());
      assert.equal(d.snapshots.length, 4);
    }
  });
});
