import { test } from 'node:test';
import assert from 'node:assert/strict';
import { malform, nullify, type CorruptionSpec } from '../../../src/faults/corrupt.ts';

const spec: CorruptionSpec = {
  numbers: ['price', 'quantity'],
  time: { field: 'eventTimeMs', format: 'epochMs' },
  strings: ['symbol', 'side'],
  misspell: { side: (side) => [`${side} `, side.toLowerCase()] },
};
const trade = { symbol: 'BHP', side: 'BUY', price: 45.12, quantity: 10, eventTimeMs: 1736942400123 };

test('nullify damages exactly one field: null, empty or missing', () => {
  const seen = new Set<string>();
  for (let draw = 0; draw < 60; draw++) {
    const damaged = nullify(trade, spec, draw);
    const changed = Object.keys(trade).filter(
      (k) => (damaged as Record<string, unknown>)[k] !== (trade as Record<string, unknown>)[k],
    );
    assert.equal(changed.length, 1);
    const field = changed[0] as string;
    const value = (damaged as Record<string, unknown>)[field];
    seen.add(field in damaged ? (value === null ? 'null' : 'empty') : 'missing');
  }
  assert.deepEqual([...seen].sort(), ['empty', 'missing', 'null']);
});

test('malform produces numbers as text, NaN, times in the wrong form or unit and misspelt sides', () => {
  const outcomes = new Set<string>();
  for (let draw = 0; draw < 400; draw++) outcomes.add(JSON.stringify(malform(trade, spec, draw)));
  const text = [...outcomes].join('\n');
  assert.match(text, /"price":"45.12"/);
  assert.match(text, /"price":"NaN"/);
  assert.match(text, /"quantity":"10"/);
  assert.match(text, /"eventTimeMs":"2025-01-15T12:00:00.123Z"/);
  assert.match(text, /"eventTimeMs":1736942400.123/);
  assert.match(text, /"eventTimeMs":"not-a-time"/);
  assert.match(text, /"side":"BUY "/);
  assert.match(text, /"side":"buy"/);
  assert.deepEqual(malform(trade, spec, 17), malform(trade, spec, 17));
});

test('an ISO timestamp is malformed into the other forms', () => {
  const isoSpec: CorruptionSpec = {
    numbers: ['reading'],
    time: { field: 'timestamp', format: 'iso' },
    strings: [],
  };
  const item = { reading: 1, timestamp: '2022-05-02T08:02:20.073Z' };
  const outcomes = new Set<unknown>();
  for (let draw = 0; draw < 20; draw++) outcomes.add(malform(item, isoSpec, draw).timestamp);
  assert.ok(outcomes.has('2022-05-02 08:02:20'));
  assert.ok(outcomes.has(Date.parse('2022-05-02T08:02:20.073Z')));
  assert.ok(outcomes.has('not-a-time'));
});
