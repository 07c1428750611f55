import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { topicName, type DeadLetter, type RawEvent } from '@tideline/contracts';
import { collectMessages, fetchEndOffsets } from '@tideline/kafka';
import { seedFile } from '../support.ts';
import { kafka, startIngest } from './harness.ts';

const trades = topicName({ kind: 'raw', feed: 'market' });
const sensors = topicName({ kind: 'raw', feed: 'sensors' });
const standpipes = topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'water_standpipe' });
const dlq = topicName({ kind: 'dlq', stage: 'ingest' });

let ingest: Awaited<ReturnType<typeof startIngest>>;
before(async () => {
  ingest = await startIngest();
});
after(async () => {
  await ingest.close();
});

async function upload(url: string, body: string, contentType = 'text/plain') {
  return ingest.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
}

async function newRecords(topic: string, from: Map<number, string>, count: number) {
  const messages = await collectMessages(kafka, {
    topic,
    from,
    until: (m) => m.length >= count,
    timeoutMs: 15_000,
  });
  return messages;
}

test('the seed-data fixtures arrive valid, keyed by symbol, node and borehole, with their event times', async () => {
  const start = await fetchEndOffsets(kafka, [trades, sensors, standpipes]);

  const csv = await upload(
    '/v1/ingest/market/trades-csv',
    await seedFile('market/sample_trades.csv'),
    'text/csv',
  );
  assert.equal(csv.statusCode, 202, csv.body);
  assert.deepEqual(csv.json(), { produced: 9, deadLettered: 0 });
  const batch = await upload(
    '/v1/ingest/sensors/batch',
    await seedFile('sensors/kafka_value_double_encoded.txt'),
  );
  assert.deepEqual(batch.json(), { produced: 10, deadLettered: 0 });
  const envelopeText = await seedFile('geotech/raw_message_sample.json');
  const envelope = await upload('/v1/ingest/geotech/envelope', envelopeText, 'application/json');
  const itemCount = (JSON.parse(envelopeText) as { items: unknown[] }).items.length;
  assert.deepEqual(envelope.json(), { produced: itemCount, deadLettered: 0 });

  const tradeRecords = await newRecords(trades, start.get(trades)!, 9);
  assert.equal(tradeRecords.length, 9);
  for (const record of tradeRecords) {
    const event = JSON.parse(record.value ?? '') as RawEvent;
    assert.ok(event.feed === 'market');
    assert.equal(record.key, event.symbol);
    assert.equal(record.timestamp, String(event.eventTimeMs));
    assert.match(event.eventId, /^[0-9a-f]{40}$/);
  }
  // Per-key order holds: each symbol's trades come in file order.
  const agl = tradeRecords
    .filter((r) => r.key === 'AGL')
    .map((r) => (JSON.parse(r.value ?? '') as { price: number }).price);
  assert.deepEqual(agl, [496.53, 26.57, 948.21, 910.43]);

  const sensorRecords = await newRecords(sensors, start.get(sensors)!, 10);
  assert.deepEqual(new Set(sensorRecords.map((r) => r.key)), new Set(['Node 1', 'Node 2', 'Node 3']));

  const geotechRecords = await newRecords(standpipes, start.get(standpipes)!, itemCount);
  assert.equal(geotechRecords.length, itemCount);
  const first = geotechRecords.find((r) => r.key === 'BH-4493');
  assert.ok(first, 'BH-4493 is keyed by its borehole');
  assert.equal((JSON.parse(first.value ?? '') as { value: number }).value, 77.66);
});

test('malformed records land in the dead-letter topic with their reasons and raw payloads', async () => {
  const start = await fetchEndOffsets(kafka, [dlq, trades]);
  const csv = 'AGL,BUY ,12.5,10,1534849272066,x\nAGL,SELL,not-a-price,3,1534849273070,x\nAGL,BUY\n';
  const response = await upload('/v1/ingest/market/trades-csv', csv, 'text/csv');
  assert.deepEqual(response.json(), { produced: 1, deadLettered: 2 });
  const broken = await upload('/v1/ingest/sensors/batch', '[{"node_name": "Node 1", ', 'application/json');
  assert.equal(broken.statusCode, 400);
  assert.equal(broken.json().error.code, 'INGEST_ERR_MALFORMED_JSON');

  const letters = (await newRecords(dlq, start.get(dlq)!, 3)).map(
    (r) => JSON.parse(r.value ?? '') as DeadLetter,
  );
  assert.deepEqual(letters.map((l) => l.reasonCode).sort(), [
    'INGEST_ERR_BAD_CSV_ROW',
    'INGEST_ERR_MALFORMED_JSON',
    'INGEST_ERR_SCHEMA',
  ]);
  const schema = letters.find((l) => l.reasonCode === 'INGEST_ERR_SCHEMA');
  assert.match(schema?.reason ?? '', /\/price/);
  assert.match(schema?.rawPayload ?? '', /NaN/);
  assert.equal(letters.find((l) => l.reasonCode === 'INGEST_ERR_BAD_CSV_ROW')?.rawPayload, 'AGL,BUY');
  assert.equal(
    letters.find((l) => l.reasonCode === 'INGEST_ERR_MALFORMED_JSON')?.rawPayload,
    '[{"node_name": "Node 1", ',
  );

  const metrics = await ingest.app.inject({ url: '/metrics' });
  assert.match(
    metrics.body,
    /tideline_ingest_dead_lettered_total\{reason="INGEST_ERR_SCHEMA",service="ingest"\} [1-9]/,
  );
});
