import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as windowing from '../src/index.ts';
import { Aggregates, OutputKind, TimeWindows, WindowingEngine } from '../src/index.ts';

interface Trade {
  readonly symbol: string;
  readonly price: number;
}

describe('the package entry point', () => {
  test("the README example runs as written, its extractors typed by the engine's type arguments", () => {
    const engine = new WindowingEngine<string, Trade, { avg: number; max: number; count: number }>({
      windows: TimeWindows.ofSizeWithNoGrace(3_000).advanceBy(1_000),
      aggregates: {
        avg: Aggregates.avg((t) => t.price),
        max: Aggregates.max((t) => t.price),
        count: Aggregates.count(),
      },
      maxOutOfOrdernessMs: 5_000,
    });
    // @ts-expect-error the value type is Trade, so a bare number is refused
    assert.throws(() => engine.process('AGL', 5, Number.NaN));
    engine.process('AGL', { symbol: 'AGL', price: 10 }, 1_000);
    engine.process('AGL', { symbol: 'AGL', price: 20 }, 2_500);
    engine.endOfInput();
    const averages: number[] = [];
    for (const output of engine.drain()) {
      if (output.kind === OutputKind.result) averages.push(output.value.avg + output.value.max * 0);
    }
    assert.deepEqual(averages, [10, 15, 15, 20]);
  });

  test('the entry point exports named values only', () => {
    assert.deepEqual(Object.keys(windowing).sort(), [
      'AccumulationMode',
      'Aggregates',
      'CHANGES_FORMAT',
      'Compatibility',
      'CountWindows',
      'EmitKind',
      'EmitStrategy',
      'FiringTiming',
      'LateReason',
      'OutputKind',
      'SNAPSHOT_FORMAT',
      'SessionWindows',
      'TimeWindows',
      'WindowKind',
      'WindowingEngine',
      'WindowingError',
      'WindowingErrorCodes',
      'WindowingTestDriver',
    ]);
  });
});
