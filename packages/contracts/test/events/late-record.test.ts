import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent } from '../../src/index.ts';
import { first, marketTrades } from '../fixtures/seed.ts';

test('a late record carries the original record whatever its shape', () => {
  const trade = first(marketTrades());
  const late = {
    schemaVersion: 1,
    job: 'trades-3s-1s.v1',
    reason: 'beyond_allowed_lateness',
    key: trade.symbol,
    eventTimeMs: trade.eventTimeMs,
    watermarkMs: trade.eventTimeMs + 60_000,
    record: trade,
  };
  assert.equal(validateEvent('lateRecord', late).ok, true);
  assert.equal(validateEvent('lateRecord', { ...late, record: 'opaque text' }).ok, true);
  assert.equal(validateEvent('lateRecord', { ...late, reason: '' }).ok, false);
});
