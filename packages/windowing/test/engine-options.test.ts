import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AccumulationMode,
  Aggregates,
  CountWindows,
  EmitStrategy,
  TimeWindows,
  WindowingEngine,
  WindowingError,
  WindowingErrorCodes,
  type WindowingOptions,
} from '../src/index.ts';
import { resolveOptions } from '../src/engine-options.ts';

const avg = { avg: Aggregates.avg((v: number) => v) };

describe('engine options', () => {
  test('invalid options are reported all at once', () => {
    const bad = {
      windows: { sizeMs: 10 },
      aggregates: { broken: { kind: 'x' } },
      maxOutOfOrdernessMs: -1,
      accumulation: 'sometimes',
      partitions: [0, 0],
      dedupHorizonMs: 1.5,
    } as unknown as WindowingOptions<number, unknown>;
    assert.throws(
      () => new WindowingEngine(bad),
      (error: unknown) => {
        assert.ok(error instanceof WindowingError);
        assert.equal(error.code, WindowingErrorCodes.invalidOptions);
        assert.equal(error.problems.length, 6, error.problems.join('\n'));
        return true;
      },
    );
  });

  test('an engine needs at least one aggregate', () => {
    assert.throws(() => new WindowingEngine({ windows: TimeWindows.ofSizeWithNoGrace(10), aggregates: {} }), {
      code: WindowingErrorCodes.invalidOptions,
    });
  });

  test('count windows accept neither early emission nor non-accumulating modes', () => {
    assert.throws(
      () =>
        new WindowingEngine({
          windows: CountWindows.ofSize(3),
          aggregates: avg,
          emit: EmitStrategy.onUpdate(),
          accumulation: AccumulationMode.discarding,
        }),
      (error: unknown) => error instanceof WindowingError && error.problems.length === 2,
    );
  });

  test('defaults are on-window-close, accumulating, no out-of-orderness and no dedup, frozen', () => {
    const resolved = resolveOptions({ windows: TimeWindows.ofSizeWithNoGrace(10), aggregates: avg });
    assert.deepEqual(resolved.emit, EmitStrategy.onWindowClose());
    assert.equal(resolved.accumulation, AccumulationMode.accumulating);
    assert.equal(resolved.maxOutOfOrdernessMs, 0);
    assert.equal(resolved.dedupHorizonMs, undefined);
    assert.deepEqual(resolved.names, ['avg']);
    assert.equal(Object.isFrozen(resolved), true);
  });

  test('the fingerprint changes with anything that shapes the state', () => {
    const base = { windows: TimeWindows.ofSizeWithNoGrace(10), aggregates: avg };
    const fingerprints = [
      resolveOptions(base),
      resolveOptions({ ...base, windows: TimeWindows.ofSizeWithNoGrace(20) }),
      resolveOptions({ ...base, aggregates: { mean: avg.avg } }),
      resolveOptions({ ...base, maxOutOfOrdernessMs: 5 }),
      resolveOptions({ ...base, emit: EmitStrategy.onCount(2) }),
      resolveOptions({ ...base, accumulation: AccumulationMode.discarding }),
      resolveOptions({ ...base, dedupHorizonMs: 100 }),
    ].map((r) => r.fingerprint);
    assert.equal(new Set(fingerprints).size, fingerprints.length);
  });
});
