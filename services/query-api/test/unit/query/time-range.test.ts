import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResolutionMs, parseTimeMs, parseTimeRange } from '../../../src/query/time-range.ts';

const limits = { maxRangeMs: 86_400_000, defaultSpanMs: 3_600_000, nowMs: 10_000_000_000 };

test('parseTimeMs reads epoch milliseconds and ISO 8601 with a zone', () => {
  assert.equal(parseTimeMs('1764583200000', 'from'), 1_764_583_200_000);
  assert.equal(parseTimeMs('2025-12-01T10:00:00Z', 'from'), Date.UTC(2025, 11, 1, 10));
  assert.equal(parseTimeMs('2025-12-01T20:00:00+10:00', 'from'), Date.UTC(2025, 11, 1, 10));
  assert.throws(() => parseTimeMs('2025-13-45T99:99Z', 'from'), { code: 'QUERY_ERR_INVALID_TIME' });
});

test('parseTimeRange defaults to the last span before now and refuses empty or too long ranges', () => {
  assert.deepEqual(parseTimeRange({}, limits), { fromMs: limits.nowMs - 3_600_000, toMs: limits.nowMs });
  assert.deepEqual(parseTimeRange({ to: '5000000' }, limits), { fromMs: 1_400_000, toMs: 5_000_000 });
  assert.throws(() => parseTimeRange({ from: '10', to: '10' }, limits), { code: 'QUERY_ERR_INVALID_RANGE' });
  assert.throws(() => parseTimeRange({ from: '20', to: '10' }, limits), { code: 'QUERY_ERR_INVALID_RANGE' });
  assert.throws(() => parseTimeRange({ from: '0', to: String(86_400_001) }, limits), {
    code: 'QUERY_ERR_INVALID_RANGE',
  });
});

test('parseResolutionMs reads bucket sizes from 1 s to 31 d, and raw', () => {
  assert.equal(parseResolutionMs(undefined), undefined);
  assert.equal(parseResolutionMs('raw'), undefined);
  assert.equal(parseResolutionMs('1m'), 60_000);
  assert.equal(parseResolutionMs('1500ms'), 1500);
  assert.equal(parseResolutionMs('2h'), 7_200_000);
  assert.throws(() => parseResolutionMs('999ms'), { code: 'QUERY_ERR_INVALID_RANGE' });
  assert.throws(() => parseResolutionMs('32d'), { code: 'QUERY_ERR_INVALID_RANGE' });
});
