import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportsAt, sensorNodes, temperatureAt } from '../../../src/sim/sensor-model.ts';

const SEED = 8;

test('without dropouts each node reports exactly once per period', () => {
  for (const node of sensorNodes(SEED)) {
    const seconds = Array.from({ length: 1155 }, (_, i) => 1_736_942_400 + i).filter((s) =>
      reportsAt(SEED, node, s, 0),
    );
    assert.equal(seconds.length, 1155 / node.periodS, node.nodeId);
  }
});

test('temperatures stay within 0 to 10 °C and change smoothly between reports', () => {
  const [node] = sensorNodes(SEED);
  let previous: number | undefined;
  for (let t = 0; t < 86_400_000; t += 5000) {
    const value = temperatureAt(SEED, node!, Date.UTC(2025, 0, 15) + t);
    assert.ok(value >= 0 && value <= 10);
    if (previous !== undefined) assert.ok(Math.abs(value - previous) < 1.5);
    previous = value;
  }
});
