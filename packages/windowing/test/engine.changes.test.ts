import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  Aggregates,
  CountWindows,
  EmitStrategy,
  TimeWindows,
  WindowingEngine,
  WindowingErrorCodes,
  type EngineChangesMeta,
  type Output,
  type WindowingOptions,
} from '../src/index.ts';
import { config, ops, sessionWindows, timeWindows } from './support/arbitraries.ts';
import { aggregates, engineOptions } from './support/harness.ts';
import { EMA_ALPHA, type Op, type Trade } from './support/oracle.ts';

type Engine = WindowingEngine<string, Trade, unknown>;
type Options = WindowingOptions<Trade, unknown>;

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function apply(engine: Engine, op: Op): void {
  switch (op.op) {
    case 'event':
      engine.process(op.key, { price: op.price }, op.t, op.partition, op.id);
      break;
    case 'idle':
      engine.markIdle(op.partition);
      break;
    case 'proc':
      engine.advanceProcessingTime(op.nowMs);
      break;
    case 'end':
      engine.endOfInput();
      break;
    case 'restart':
      break;
  }
}

function uninterrupted(options: Options, input: readonly Op[]): Output<string, Trade, unknown>[][] {
  const engine: Engine = new WindowingEngine(options);
  return input.map((op) => {
    apply(engine, op);
    return engine.drain();
  });
}

/** The state of a full snapshot, as a map of key to state and the meta (through a restore from it). */
function snapshotState(options: Options, engine: Engine) {
  const restored: Engine = WindowingEngine.fromSnapshot(options, roundTrip(engine.snapshot()));
  const all = restored.takeChanges();
  return {
    meta: all.meta,
    keys: new Map(all.keys.map((k) => [k.key, JSON.stringify(k.state)])),
  };
}

/**
 * Runs `input`, committing at every `restart` op: takeChanges folded into a map (latest per key, delete on
 * null) as a compacted changelog would hold it, checked against a full snapshot; at the commits `restoreAt`
 * picks, the engine is replaced by one restored from the folded changelog (through JSON).
 */
function withChangelog(
  options: Options,
  input: readonly Op[],
  restoreAt: readonly boolean[],
): Output<string, Trade, unknown>[][] {
  let engine: Engine = new WindowingEngine(options);
  const folded = new Map<string, string>();
  let meta: EngineChangesMeta | undefined;
  let commits = 0;
  return input.map((op) => {
    apply(engine, op);
    const outputs = engine.drain();
    if (op.op === 'restart') {
      const changes = engine.takeChanges();
      assert.equal(changes.meta.fingerprint, changes.fingerprint);
      for (const { key, state } of changes.keys) {
        if (state === null) folded.delete(key);
        else folded.set(key, JSON.stringify(state));
      }
      meta = roundTrip(changes.meta);
      const full = snapshotState(options, engine);
      assert.deepStrictEqual(roundTrip(full.meta), meta);
      assert.deepStrictEqual(new Map([...folded].sort()), new Map([...full.keys].sort()));
      assert.equal(engine.takeChanges().keys.length, 0, 'nothing changed since the last takeChanges');
      if (restoreAt[commits++ % restoreAt.length] === true) {
        const entries = [...folded].map(([key, text]) => [key, JSON.parse(text) as unknown] as const);
        engine = WindowingEngine.fromChanges(options, meta, entries);
      }
    }
    return outputs;
  });
}

const restoreBits = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 });

function withDedupAndPartitions(c: Parameters<typeof engineOptions>[0]) {
  return engineOptions({ ...c, dedupHorizonMs: c.dedupHorizonMs ?? 12, partitions: [0, 1, 2] });
}

function check(options: Options, input: Op[], bits: boolean[]): void {
  assert.deepStrictEqual(withChangelog(options, input, bits), uninterrupted(options, input));
}

describe('WindowingEngine changes (a changelog of changed keys)', () => {
  test('folded changes restore to exactly the run without interruption: tumbling and hopping windows', () => {
    fc.assert(
      fc.property(config(timeWindows), ops, restoreBits, (c, input, bits) =>
        check(withDedupAndPartitions(c) as Options, input, bits),
      ),
      { numRuns: 300 },
    );
  });

  test('folded changes restore to exactly the run without interruption: session windows', () => {
    fc.assert(
      fc.property(config(sessionWindows), ops, restoreBits, (c, input, bits) =>
        check(withDedupAndPartitions(c) as Options, input, bits),
      ),
      { numRuns: 300 },
    );
  });

  test('folded changes restore to exactly the run without interruption: count windows with a running EMA', () => {
    const shape = fc.record({
      size: fc.integer({ min: 1, max: 6 }),
      advance: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(shape, ops, restoreBits, ({ size, advance }, input, bits) => {
        const options: Options = {
          windows: CountWindows.ofSize(size).advanceBy(Math.min(size, advance)),
          aggregates: {
            ...aggregates,
            runningEma: Aggregates.running(Aggregates.ema({ alpha: EMA_ALPHA }, (t: Trade) => t.price)),
          },
          partitions: [0, 1, 2],
          maxOutOfOrdernessMs: 3,
          dedupHorizonMs: 12,
        };
        check(options, input, bits);
      }),
      { numRuns: 200 },
    );
  });

  test('only the keys that changed are written, and a key whose windows all closed is written as null', () => {
    const options = {
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { count: Aggregates.count<number>() },
      emit: EmitStrategy.onWindowClose(),
    };
    const engine = new WindowingEngine<string, number, { count: number }>(options);
    engine.process('a', 1, 1);
    engine.process('b', 1, 2);
    assert.deepEqual(
      engine.takeChanges().keys.map((k) => k.key),
      ['a', 'b'],
    );
    engine.process('b', 1, 3);
    const changes = engine.takeChanges();
    assert.deepEqual(
      changes.keys.map((k) => k.key),
      ['b'],
    );
    engine.process('c', 1, 10); // the watermark reaches 10: a's and b's windows fire and are evicted
    assert.equal(engine.drain().length, 2);
    const evicted = engine.takeChanges();
    assert.deepEqual(
      evicted.keys.map((k) => [k.key, k.state === null]),
      [
        ['c', false],
        ['a', true],
        ['b', true],
      ],
    );
  });

  test('the first changes after a snapshot restore write a restored key that has emptied since as null', () => {
    const options = {
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { count: Aggregates.count<number>() },
      emit: EmitStrategy.onWindowClose(),
    };
    const before = new WindowingEngine<string, number, { count: number }>(options);
    before.process('a', 1, 1);
    before.process('b', 1, 12);
    assert.equal(before.drain().length, 1); // a's window [0, 10) closed: only b holds state
    before.process('c', 1, 13);
    const restored = WindowingEngine.fromSnapshot<string, number, { count: number }>(
      options,
      roundTrip(before.snapshot()),
    );
    restored.process('d', 1, 25); // b's and c's windows [10, 20) close: they hold nothing any more
    assert.equal(restored.drain().length, 2);
    assert.deepEqual(
      restored.takeChanges().keys.map((k) => [k.key, k.state === null]),
      [
        ['d', false],
        ['b', true],
        ['c', true],
      ],
    );
  });

  test('changes are refused while outputs wait, and a restore refuses another configuration or bad data', () => {
    const options = {
      windows: TimeWindows.ofSizeWithNoGrace(10),
      aggregates: { count: Aggregates.count<number>() },
      dedupHorizonMs: 100,
    };
    const engine = new WindowingEngine<string, number, { count: number }>(options);
    engine.process('a', 1, 1, 0, 'x');
    engine.process('a', 1, 20, 0, 'y');
    assert.throws(() => engine.takeChanges(), { code: WindowingErrorCodes.undrainedOutput });
    engine.drain();
    const changes = engine.takeChanges();
    const entries = changes.keys.map((k) => [k.key, k.state] as const);
    assert.throws(
      () => WindowingEngine.fromChanges({ ...options, dedupHorizonMs: 50 }, changes.meta, entries),
      { code: WindowingErrorCodes.snapshotMismatch },
    );
    assert.throws(
      () => WindowingEngine.fromChanges(options, { ...changes.meta, format: 'x' } as never, entries),
      {
        code: WindowingErrorCodes.snapshotInvalid,
      },
    );
    assert.throws(() => WindowingEngine.fromChanges(options, changes.meta, [['a', { windows: [[1, 2]] }]]), {
      code: WindowingErrorCodes.snapshotInvalid,
    });
    assert.throws(() => WindowingEngine.fromChanges(options, changes.meta, [['a', 42]]), {
      code: WindowingErrorCodes.snapshotInvalid,
    });
    const restored = WindowingEngine.fromChanges<string, number, { count: number }>(
      options,
      changes.meta,
      entries,
    );
    restored.process('b', 1, 21, 0, 'y'); // the id is remembered, whichever key it came with
    assert.equal(restored.metrics().duplicates, 1);
  });
});
