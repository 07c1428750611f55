import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobVersionOf, topicNamer } from '../src/index.ts';

test('jobVersionOf reads the .v<n> suffix of processed and alert topics, 1 when absent', () => {
  const namer = topicNamer('t-jv');
  const version = (name: string) => {
    const spec = namer.parseTopicName(name);
    assert.ok(spec, name);
    return jobVersionOf(spec);
  };
  assert.equal(version('t-jv.processed.market.BHP'), 1);
  assert.equal(version('t-jv.processed.market.BHP.v3'), 3);
  assert.equal(version('t-jv.processed.geotech.piezometer.v2'), 2);
  assert.equal(version('t-jv.alerts.geotech.v7'), 7);
  assert.equal(version('t-jv.late.geotech-10s'), 1);
  assert.equal(version('t-jv.dlq.processor'), 1);
});
