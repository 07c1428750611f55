import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestField, stateKeys } from '../src/index.ts';

test('stateKeys names the latest-value hash, the key index, the update channel and the job registry', () => {
  const keys = stateKeys();
  assert.equal(keys.latest('market', 'BHP'), 'tl:v1:latest:market:BHP');
  assert.equal(keys.keys('geotech', 2), 'tl:v2:keys:geotech');
  assert.equal(keys.updates('sensors', 'Node 1'), 'tl:v1:updates:sensors:Node 1');
  assert.equal(keys.updatesPattern('market'), 'tl:v1:updates:market:*');
  assert.equal(keys.jobs('market'), 'tl:jobs:market');
  assert.equal(stateKeys('t-9').latest('market', 'BHP', 3), 'tl:t-9:v3:latest:market:BHP');
  assert.equal(LatestField.window('market-hopping'), 'window:market-hopping');
});
