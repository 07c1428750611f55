import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DeadLetter, RawEvent } from '@tideline/contracts';
import { collectMessages, fetchEndOffsets } from '@tideline/kafka';
import { seedFile } from '../support.ts';
import { kafka, startIngest, testNamespace } from './harness.ts';

const ns = testNamespace();
const trades = ns.topicName({ kind: 'raw', feed: 'market' });
const sensors = ns.topicName({ kind: 'raw', feed: 'sensors' });
const standpipes = ns.topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'water_standpipe' });
const dlq = ns.topicName({ kind: 'dlq', stage: 'ingest' });

let ingest: Awaited<ReturnType<typeof startIngest>>;
before(async () => {
  ingest = await startIngest({}, ns);
});
after(async () => {
  await ingest.close();
});

async function upload(url: string, body: string | Buffer, contentType = 'text/plain') {
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

test('event times in seconds, or far ahead of the clock, are dead-lettered with their own reason', async () => {
  const start = await fetchEndOffsets(kafka, [dlq, trades]);
  const ahead = Date.now() + 3 * 24 * 3600 * 1000;
  const csv = [
    'SECS,BUY ,12.5,10,1534849272,x', // seconds: 1970 if taken as milliseconds
    `AHEAD,SELL,1.5,3,${ahead},x`,
    'AGL,BUY ,12.5,10,1534849272066,x', // the seed's 2018 trades stay valid
  ].join('\n');
  const response = await upload('/v1/ingest/market/trades-csv', csv, 'text/csv');
  assert.deepEqual(response.json(), { produced: 1, deadLettered: 2 });
  const letters = (await newRecords(dlq, start.get(dlq)!, 2)).map(
    (r) => JSON.parse(r.value ?? '') as DeadLetter,
  );
  assert.deepEqual(
    letters.map((l) => l.reasonCode),
    ['INGEST_ERR_EVENT_TIME_OUT_OF_RANGE', 'INGEST_ERR_EVENT_TIME_OUT_OF_RANGE'],
  );
  assert.match(letters[0]?.rawPayload ?? '', /"symbol":"SECS"/);
  const stored = await newRecords(trades, start.get(trades)!, 1);
  assert.deepEqual(
    stored.map((r) => r.key),
    ['AGL'],
    'nothing is stored as a 1970 (or future) event',
  );
});

test('a body that is not UTF-8 gets 400 INGEST_ERR_INVALID_UTF8 and is dead-lettered as sent', async () => {
  const start = await fetchEndOffsets(kafka, [dlq]);
  const body = Buffer.concat([Buffer.from('AGL,BUY ,1,1,1534849272066,caf'), Buffer.from([0xe9, 0x0a])]);
  const response = await upload('/v1/ingest/market/trades-csv', body, 'text/csv');
  assert.equal(response.statusCode, 400, response.body);
  const error = response.json().error;
  assert.equal(error.code, 'INGEST_ERR_INVALID_UTF8');
  assert.match(error.message, /not valid UTF-8/);
  const [letter] = (await newRecords(dlq, start.get(dlq)!, 1)).map(
    (r) => JSON.parse(r.value ?? '') as DeadLetter,
  );
  assert.equal(letter?.reasonCode, 'INGEST_ERR_INVALID_UTF8');
  assert.deepEqual(Buffer.from(letter?.rawPayload ?? '', 'base64'), body);
});

test('Fastify errors come back with the documented stable codes', async () => {
  const json = await upload('/v1/ingest/sensors/batch', '{', 'application/xml');
  assert.equal(json.statusCode, 415);
  assert.equal(json.json().error.code, 'TL_ERR_UNSUPPORTED_MEDIA_TYPE');
  const tooLarge = await ingest.app.inject({
    method: 'POST',
    url: '/v1/ingest/market/trades-csv',
    payload: 'x',
    headers: { 'content-type': 'text/csv', 'content-length': String(ingest.config.MAX_BODY_BYTES + 1) },
  });
  assert.equal(tooLarge.statusCode, 413);
  assert.equal(tooLarge.json().error.code, 'TL_ERR_BODY_TOO_LARGE');
  const empty = await upload('/v1/ingest/market/trades-csv', '', 'text/csv');
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().error.code, 'TL_ERR_VALIDATION');
});
