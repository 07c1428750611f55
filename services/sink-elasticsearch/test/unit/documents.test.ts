import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicNamer, windowAggregateIdFor } from '@tideline/contracts';
import {
  decodeRecord,
  generateProcessedOutput,
  isUndecodable,
  type SinkRecord,
} from '@tideline/sink-runtime';
import { actionFor, dailyIndex, View } from '../../src/app.ts';
import { dayOfIndex } from '../../src/views.ts';

const namer = topicNamer('t-unit');
const startMs = Date.UTC(2026, 11, 1, 10);

function decode(version: number): SinkRecord[] {
  return generateProcessedOutput({ namer, startMs, secondsPerKey: 10, version, symbols: ['BHP'] }).map(
    (m, i) => {
      const headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)]));
      const decoded = decodeRecord(namer, m.topic, 0, {
        key: null,
        value: Buffer.from(m.value),
        headers,
        offset: String(i),
        timestamp: '0',
        attributes: 0,
      } as never);
      assert.ok(!isUndecodable(decoded));
      return decoded;
    },
  );
}

test('a window result goes to its version’s daily index under id v<version>-<window id>, whatever the offset', () => {
  const [window] = decode(2).filter((r) => r.kind === 'window');
  assert.ok(window && window.kind === 'window');
  const action = actionFor('tl', window, startMs + 60_000);
  assert.equal(action.index, 'tl-windows-v2-2026.12.01');
  assert.equal(action.id, `v2-${windowAggregateIdFor(window.value)}`);
  const redelivered = actionFor(
    'tl',
    { ...window, meta: { ...window.meta, offset: '999' } },
    startMs + 90_000,
  );
  assert.equal(redelivered.id, action.id);
  assert.equal(action.document.latencyMs, 50_000);
});

test('readings of two versions never share an id; the same reading always has the same one', () => {
  const [v1] = decode(1).filter((r) => r.kind === 'reading');
  const [v2] = decode(2).filter((r) => r.kind === 'reading');
  const a = actionFor('tl', v1!, startMs);
  assert.equal(a.index, 'tl-readings-v1-2026.12.01');
  assert.equal(actionFor('tl', v1!, startMs + 5).id, a.id);
  assert.notEqual(actionFor('tl', v2!, startMs).id, a.id);
});

test('daily index names round-trip to their day; foreign names are not read as ours', () => {
  assert.equal(dailyIndex('tl', View.deadLetters, startMs), 'tl-deadletters-2026.12.01');
  assert.equal(dayOfIndex('tl', 'tl-readings-v3-2026.12.01'), Date.UTC(2026, 11, 1));
  assert.equal(dayOfIndex('tl', 'tl-sinkmetrics-2026.01.31'), Date.UTC(2026, 0, 31));
  assert.equal(dayOfIndex('tl', 'tl-other-2026.12.01'), undefined);
  assert.equal(dayOfIndex('tl', 'tlx-readings-v1-2026.12.01'), undefined);
});
