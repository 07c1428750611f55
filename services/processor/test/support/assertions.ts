import assert from 'node:assert/strict';
import type { CleanReading, WindowAggregate } from '@tideline/contracts';
import type { TestBed } from './test-bed.ts';
import { expectHopping, sortRows, type RawRecord, type WindowRow } from './trades.ts';

export const MARKET_GROUP = (namespace: string) => `${namespace}.tideline-processor.market`;

export function toRow(a: WindowAggregate): WindowRow {
  return {
    key: a.key,
    windowStartMs: a.windowStartMs,
    windowEndMs: a.windowEndMs,
    avg: a.aggregates['avg'] as number,
    min: a.aggregates['min'] as number,
    max: a.aggregates['max'] as number,
    count: a.count,
  };
}

/**
 * The committed outputs of the market job equal what the records must give: every window result once
 * (values bit for bit), every valid trade's reading once, every malformed record dead-lettered once.
 */
export async function assertMarketOutputs(bed: TestBed, records: readonly RawRecord[]): Promise<void> {
  const expected = expectHopping(records, { sizeMs: 3000, advanceMs: 1000, delayMs: 5000 });
  const outputs = await bed.readOutputs(
    (t) => t.includes('.processed.') || t.includes('.dlq.') || t.includes('.late.'),
  );
  const windows = outputs
    .filter((o) => o.kind === 'window' && (o.value as WindowAggregate).job === 'market-hopping')
    .map((o) => toRow(o.value as WindowAggregate));
  assert.ok(expected.rows.length > 100, `the data set closes enough windows (${expected.rows.length})`);
  assert.deepEqual(sortRows(windows), expected.rows);

  const readings = outputs.filter((o) => o.kind === 'reading').map((o) => (o.value as CleanReading).eventId);
  assert.equal(new Set(readings).size, readings.length, 'no reading written twice');
  const validIds = new Set(records.flatMap((r) => (r.trade ? [r.trade.eventId] : [])));
  assert.deepEqual(new Set(readings), validIds, 'every valid trade has its reading');
  assert.equal(readings.length, expected.valid);

  const moving = outputs.filter(
    (o) => o.kind === 'window' && (o.value as WindowAggregate).job === 'market-moving',
  );
  assert.equal(moving.length, expected.valid, 'one moving average per trade');

  const malformed = records.filter((r) => r.trade === undefined).length;
  const dead = outputs.filter((o) => o.topic.endsWith('.dlq.processor'));
  assert.equal(dead.length, malformed);
  for (const d of dead) assert.equal((d.value as { reasonCode: string }).reasonCode, 'malformed_json');
  const late = outputs.filter((o) => o.topic.includes('.late.'));
  assert.equal(late.length, expected.late, 'each record too late for a window is reported once');
}
