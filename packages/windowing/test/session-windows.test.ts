import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SessionWindows, WindowingErrorCodes, WindowKind } from '../src/index.ts';

describe('SessionWindows', () => {
  test('SessionWindows rejects a gap that is not a positive integer', () => {
    for (const gap of [0, -5, 0.5, Number.NaN]) {
      assert.throws(() => SessionWindows.ofInactivityGapWithNoGrace(gap), {
        code: WindowingErrorCodes.invalidWindow,
      });
    }
  });

  test('SessionWindows rejects a negative grace period', () => {
    assert.throws(() => SessionWindows.ofInactivityGapAndGrace(10, -1), {
      code: WindowingErrorCodes.invalidWindow,
    });
  });

  test('SessionWindows carries its gap and grace with units in their names, frozen', () => {
    const sessions = SessionWindows.ofInactivityGapAndGrace(30_000, 5_000);
    assert.deepEqual([sessions.kind, sessions.gapMs, sessions.graceMs], [WindowKind.session, 30_000, 5_000]);
    assert.equal(SessionWindows.ofInactivityGapWithNoGrace(7).graceMs, 0);
    assert.equal(Object.isFrozen(sessions), true);
  });
});
