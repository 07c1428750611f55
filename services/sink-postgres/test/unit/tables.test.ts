import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicNamer } from '@tideline/contracts';
import {
  decodeRecord,
  generateProcessedOutput,
  isUndecodable,
  type SinkRecord,
} from '@tideline/sink-runtime';
import { isConnectionError, isDataError } from '../../src/errors.ts';
import { dayOf, partitionName } from '../../src/partitions.ts';
import { rowsOf } from '../../src/tables.ts';

const namer = topicNamer('t-unit');

function records(version = 1): SinkRecord[] {
  return generateProcessedOutput({
    namer,
    startMs: 1_764_547_200_000,
    secondsPerKey: 20,
    version,
    symbols: ['BHP'],
  }).map((m, i) => {
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
  });
}

test('rowsOf gives one row per primary key, the last record winning, and one series row per key', () => {
  const once = records();
  const twice = [...once, ...once];
  const tables = rowsOf(twice);
  const byName = Object.fromEntries(tables.map((t) => [t.table.name, t.rows]));
  const count = (kind: string) => once.filter((r) => r.kind === kind).length;
  assert.equal(byName.readings!.length, count('reading'));
  assert.equal(byName.window_aggregates!.length, count('window'));
  assert.equal(byName.alerts?.length ?? 0, count('alert'));
  assert.equal(byName.series!.length, 3 + 1 + 2);
  const pz1 = byName.series!.find((row) => row[2] === 'PZ-001')!;
  assert.deepEqual(pz1.slice(0, 5), [1, 'geotech', 'PZ-001', 'piezometer', 'm']);
  assert.equal(pz1[6], '2025-12-01T00:00:00.000Z');
  assert.equal(pz1[7], '2025-12-01T00:00:19.000Z');
});

test('a window firing twice keeps the later firing', () => {
  const [window] = records().filter((r) => r.kind === 'window');
  assert.ok(window && window.kind === 'window');
  const later: SinkRecord = { ...window, value: { ...window.value, count: 99, firing: 'update' } };
  const rows = rowsOf([window, later]).find((t) => t.table.name === 'window_aggregates')!.rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]![6], 99);
  assert.equal(rows[0]![11], 'update');
});

test('partition names are the table and the UTC day; data errors are told from outages by SQLSTATE class', () => {
  assert.equal(partitionName('readings', dayOf(Date.UTC(2026, 11, 1, 23, 59))), 'readings_p20261201');
  assert.equal(dayOf(Date.UTC(2026, 11, 1, 23, 59)), Date.UTC(2026, 11, 1));
  assert.equal(isDataError({ code: '22P05' }), true);
  assert.equal(isDataError({ code: '23514' }), true);
  assert.equal(isDataError({ code: '08006' }), false);
  assert.equal(isDataError({ code: '57P01' }), false);
  assert.equal(isDataError(new Error('ECONNRESET')), false);
});

test('connection failures are told from failed migrations, so start-up waits only for the former', () => {
  assert.equal(
    isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    true,
  );
  assert.equal(isConnectionError({ code: '57P03', message: 'the database system is starting up' }), true);
  assert.equal(isConnectionError(new Error('Connection terminated due to connection timeout')), true);
  assert.equal(isConnectionError({ code: '42601', message: 'syntax error' }), false);
});
