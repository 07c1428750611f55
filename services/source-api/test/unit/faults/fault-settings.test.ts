import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultState, NO_FAULTS } from '../../../src/faults/fault-settings.ts';

test('an update replaces every setting, turns outageForMs into a deadline and restarts the request count', () => {
  const state = new FaultState({ ...NO_FAULTS, errorRate: 0.5, nullRate: 0.2 });
  state.nextRequest();
  state.nextRequest();
  const settings = state.update({ ...NO_FAULTS, errorRate: 0.1, outageForMs: 5000 }, 1_000_000);
  assert.deepEqual(settings, { ...NO_FAULTS, errorRate: 0.1, outageUntilMs: 1_005_000 });
  assert.ok(!('outageForMs' in settings));
  assert.ok(Object.isFrozen(state.settings));
  assert.equal(state.nextRequest(), 0);
});
