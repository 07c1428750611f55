import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketedReadingsSql } from '../../../src/query/history-sql.ts';

const series = { version: 1, feed: 'geotech', key: 'P1' };
const T = Date.UTC(2026, 10, 30, 12);

test('a whole-minute resolution reads the rollup for the whole minutes and the readings for the partial ones', () => {
  const sql = bucketedReadingsSql(
    series,
    { fromMs: T + 25_000, toMs: T + 600_000 + 5_000, after: undefined, limit: 10 },
    300_000,
  );
  assert.match(sql.text, /FROM readings_1m/);
  // from, the first whole minute, the end of the last whole minute, to.
  assert.deepEqual(
    sql.values.slice(3, 7).map((d) => (d as Date).getTime() - T),
    [25_000, 60_000, 600_000, 605_000],
  );
  assert.equal(sql.values[7], '300000 milliseconds');
  assert.equal(sql.values[8], 10);
});

test('bounds inside one minute leave the rollup an empty range and the readings the whole of it', () => {
  const sql = bucketedReadingsSql(
    series,
    { fromMs: T + 61_000, toMs: T + 119_000, after: undefined, limit: undefined },
    60_000,
  );
  const [from, wholeFrom, wholeTo, to] = sql.values.slice(3, 7).map((d) => (d as Date).getTime() - T);
  assert.equal(wholeFrom, wholeTo);
  assert.deepEqual([from, to], [61_000, 119_000]);
  assert.equal(wholeFrom, 119_000);
});

test('a page after a cursor starts at the next bucket; a resolution of seconds reads the readings', () => {
  const paged = bucketedReadingsSql(
    series,
    { fromMs: T + 25_000, toMs: T + 3_600_000, after: { timeMs: T + 120_000, id: '' }, limit: 3 },
    120_000,
  );
  assert.deepEqual(
    paged.values.slice(3, 7).map((d) => (d as Date).getTime() - T),
    [240_000, 240_000, 3_600_000, 3_600_000],
  );
  const seconds = bucketedReadingsSql(
    series,
    { fromMs: T, toMs: T + 60_000, after: undefined, limit: 3 },
    30_000,
  );
  assert.doesNotMatch(seconds.text, /readings_1m/);
});
