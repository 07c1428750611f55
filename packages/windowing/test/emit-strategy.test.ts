import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EmitKind, EmitStrategy, WindowingErrorCodes } from '../src/index.ts';

describe('EmitStrategy', () => {
  test('EmitStrategy builds frozen strategies of each kind', () => {
    assert.deepEqual(EmitStrategy.onWindowClose(), { kind: EmitKind.onWindowClose });
    assert.deepEqual(EmitStrategy.onUpdate(), { kind: EmitKind.onUpdate, throttleMs: 0 });
    assert.deepEqual(EmitStrategy.onUpdate({ throttleMs: 1_000 }), {
      kind: EmitKind.onUpdate,
      throttleMs: 1_000,
    });
    assert.deepEqual(EmitStrategy.onCount(10), { kind: EmitKind.onCount, everyEvents: 10 });
    assert.equal(Object.isFrozen(EmitStrategy.onCount(10)), true);
  });

  test('EmitStrategy rejects a negative throttle and a count below one', () => {
    assert.throws(() => EmitStrategy.onUpdate({ throttleMs: -1 }), {
      code: WindowingErrorCodes.invalidOptions,
    });
    assert.throws(() => EmitStrategy.onCount(0), { code: WindowingErrorCodes.invalidOptions });
    assert.throws(() => EmitStrategy.onCount(1.5), { code: WindowingErrorCodes.invalidOptions });
  });
});
