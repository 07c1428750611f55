import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { topicNamer, type Alert, type WindowAggregate } from '@tideline/contracts';
import { loadJobsFile } from '../../../src/app.ts';
import { compileJob } from '../../../src/jobs/compile-job.ts';
import {
  JobTask,
  type InputRecord,
  type OutputRecord,
  type StateChange,
} from '../../../src/jobs/job-task.ts';
import { expectHopping, random, sortRows, tradeSet } from '../../support/trades.ts';
import { toRow } from '../../support/assertions.ts';

const jobs = loadJobsFile(fileURLToPath(new URL('../../../jobs/default.json', import.meta.url)));
const namer = topicNamer('unit');
const market = compileJob(jobs.jobs.find((j) => j.name === 'market')!, namer, new Map());
const rawMarket = namer.topicName({ kind: 'raw', feed: 'market' });

const inputs = (texts: readonly string[], from = 0): InputRecord[] =>
  texts.map((text, i) => ({
    offset: String(from + i),
    value: Buffer.from(text),
    timestamp: String(1_700_000_000_000 + from + i),
  }));

test('a task computes the market job on one partition: hopping windows as computed independently', () => {
  const records = tradeSet({ seed: 3, count: 3000, symbols: ['AAA', 'BBB'], partitions: 1 });
  const task = new JobTask(market, rawMarket, 0);
  const out = task.processBatch(inputs(records.map((r) => r.text))).records;
  const windows = out
    .filter((o) => o.headers['tl-kind'] === 'window')
    .map((o) => JSON.parse(o.value) as WindowAggregate)
    .filter((a) => a.job === 'market-hopping');
  const expected = expectHopping(records, { sizeMs: 3000, advanceMs: 1000, delayMs: 5000 });
  assert.deepEqual(sortRows(windows.map(toRow)), expected.rows);
  assert.equal(out.filter((o) => o.topic === market.lateTopic).length, expected.late);
  for (const o of out.filter((o) => o.headers['tl-kind'] !== undefined)) {
    assert.equal(o.topic, `unit.processed.market.${o.key}`);
  }
});

test('restoring from the folded changelog at any batch boundary continues exactly like an uninterrupted run', () => {
  const records = tradeSet({ seed: 5, count: 4000, symbols: ['AAA', 'BBB', 'CCC'], partitions: 1 });
  const texts = records.map((r) => r.text);
  const reference = new JobTask(market, rawMarket, 0).processBatch(inputs(texts)).records;

  const rnd = random(17);
  const outputs: OutputRecord[] = [];
  const compacted = new Map<string, StateChange>();
  let task = new JobTask(market, rawMarket, 0);
  let restores = 0;
  for (let i = 0; i < texts.length; ) {
    const n = 1 + Math.floor(rnd() * 300);
    outputs.push(...task.processBatch(inputs(texts.slice(i, i + n), i)).records);
    for (const change of task.takeChanges()) {
      const id = JSON.stringify([change.section, change.id]);
      if (change.value === null) compacted.delete(id);
      else compacted.set(id, JSON.parse(JSON.stringify(change)) as StateChange);
    }
    i += n;
    if (rnd() < 0.3) {
      task = new JobTask(market, rawMarket, 0);
      task.restore(compacted.values());
      restores++;
    }
  }
  assert.ok(restores > 5);
  assert.deepEqual(
    outputs.map((o) => [o.topic, o.value]),
    reference.map((o) => [o.topic, o.value]),
  );
});

test('the geotech job writes readings with levels, 10 s windows and alerts with hysteresis', () => {
  const levels = new Map([['BH-1', { alertLevel: 100, alarmLevel: 150, levelDirection: 'above' as const }]]);
  const geotech = compileJob(jobs.jobs.find((j) => j.name === 'geotech')!, namer, levels);
  const topic = namer.topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'piezometer' });
  const values = [90, 101, 100, 99, 160, 140, 80, 85];
  const texts = values.map((value, i) =>
    JSON.stringify({
      schemaVersion: 1,
      eventId: `id-${i}`,
      feed: 'geotech',
      instrumentId: 'BH-1',
      instrumentType: 'piezometer',
      value,
      unit: 'pressure (kPa)',
      eventTimeMs: Date.UTC(2026, 0, 1) + i * 4000,
      source: 'test',
    }),
  );
  texts.push(texts[2] as string); // a duplicate
  texts.push(JSON.stringify({ ...JSON.parse(texts[0] as string), eventId: 'x', value: 5000 })); // out of range
  const result = new JobTask(geotech, topic, 0).processBatch(inputs(texts));
  const alerts = result.records
    .filter((o) => o.topic === 'unit.alerts.geotech')
    .map((o) => JSON.parse(o.value) as Alert);
  assert.deepEqual(
    alerts.map((a) => [a.level, a.value]),
    [
      ['alert', 101],
      ['alarm', 160],
      ['alert', 140],
      ['cleared', 80],
    ],
  );
  const readings = result.records.filter((o) => o.headers['tl-kind'] === 'reading');
  assert.equal(readings.length, values.length);
  assert.equal(readings[0]?.topic, 'unit.processed.geotech.piezometer');
  assert.equal(JSON.parse(readings[0]?.value ?? '{}').attributes.alarmLevel, 150);
  const windows = result.records
    .filter((o) => o.headers['tl-kind'] === 'window')
    .map((o) => JSON.parse(o.value) as WindowAggregate);
  // Readings every 4 s from :00; watermark (last time 28 s minus 2 s) closes [0,10) and [10,20).
  assert.deepEqual(
    windows.map((w) => [w.windowEndMs - Date.UTC(2026, 0, 1), w.count, w.aggregates]),
    [
      [10_000, 3, { avg: (90 + 101 + 100) / 3, min: 90, max: 101, last: 100 }],
      [20_000, 2, { avg: (99 + 160) / 2, min: 99, max: 160, last: 160 }],
    ],
  );
  assert.equal(result.stats.duplicates, 1);
  assert.deepEqual(result.stats.deadLettered, { out_of_range: 1 });
});

test('a batch of many new keys stops at the bound on changed state, and its parts give the outputs of one call', () => {
  const geotech = compileJob(jobs.jobs.find((j) => j.name === 'geotech')!, namer, new Map());
  const topic = namer.topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'piezometer' });
  const texts = Array.from({ length: 500 }, (_, i) =>
    JSON.stringify({
      schemaVersion: 1,
      eventId: `id-${i}`,
      feed: 'geotech',
      instrumentId: `BH-${i % 200}`,
      instrumentType: 'piezometer',
      value: 50 + (i % 7),
      unit: 'pressure (kPa)',
      eventTimeMs: Date.UTC(2026, 0, 1) + i * 100,
      source: 'test',
    }),
  );
  const whole = new JobTask(geotech, topic, 0);
  const reference = whole.processBatch(inputs(texts));
  assert.equal(reference.consumed, texts.length);
  assert.ok(whole.takeChanges().length > 200, 'every instrument changed its state');

  const bound = 60;
  const task = new JobTask(geotech, topic, 0);
  const outputs: OutputRecord[] = [];
  const parts: number[] = [];
  for (let offset = 0; offset < texts.length; ) {
    const result = task.processBatch(inputs(texts.slice(offset), offset), bound);
    assert.equal(result.stats.recordsIn, result.consumed);
    outputs.push(...result.records);
    const changes = task.takeChanges();
    // The bound is checked before each record: one record adds a few entries (dedup, window key, meta),
    // and a watermark it moves changes every key whose window it closes.
    const closed = result.records.filter((o) => o.headers['tl-kind'] === 'window').length;
    assert.ok(changes.length <= bound + 4 + closed, `${changes.length} changes, ${closed} windows closed`);
    parts.push(result.consumed);
    offset += result.consumed;
  }
  assert.ok(parts.length >= 8, `${parts.length} parts`);
  assert.equal(
    parts.reduce((a, b) => a + b, 0),
    texts.length,
  );
  assert.deepEqual(
    outputs.map((o) => [o.topic, o.value]),
    reference.records.map((o) => [o.topic, o.value]),
  );
});
