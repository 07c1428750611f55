// Uploads larger than one Kafka batch, uploads beyond the cap on bytes in flight, and ten at once:
// produced in batches that fit the broker, refused with 503 + Retry-After before anything is accepted,
// and every row of every accepted upload on its raw topic exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MarketTrade } from '@tideline/contracts';
import { readToEnd } from '@tideline/kafka';
import { tradesCsvBody } from '../trades-csv-body.ts';
import { kafka, startIngest, testNamespace } from './harness.ts';

const ROUTE = '/v1/ingest/market/trades-csv';

/** Reads the raw trades topic from its beginning until `rows` trades of `symbols` have arrived. */
/**
 * The trades of `symbols` on the topic, read to its end (the uploads have been acknowledged, so the
 * end offsets hold every row): no guessed timeout, however slow a busy machine reads 170,000 records.
 */
async function tradesOf(topic: string, symbols: ReadonlySet<string>, _rows: number): Promise<MarketTrade[]> {
  const trades: MarketTrade[] = [];
  await readToEnd(kafka, {
    topic,
    groupPrefix: topic.split('.')[0] as string,
    onMessage: (_partition, m) => {
      const key = m.key?.toString();
      if (key !== undefined && symbols.has(key)) trades.push(JSON.parse(String(m.value)) as MarketTrade);
    },
  });
  return trades;
}

function assertEachOnce(trades: readonly MarketTrade[], rows: number): void {
  const ids = new Set(trades.map((t) => t.eventId));
  assert.equal(ids.size, rows, 'every row arrived');
  assert.equal(trades.length, rows, 'and only once');
}

test('a 5 MB CSV is produced in batches that fit the broker limits: 202 and every row once', async () => {
  const ingest = await startIngest({ INGEST_COMPRESSION: 'none' });
  try {
    const { body, rows } = tradesCsvBody('FIVEMB', 5 * 1024 * 1024);
    const response = await ingest.app.inject({
      method: 'POST',
      url: ROUTE,
      payload: body,
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(response.json(), { produced: rows, deadLettered: 0 });
    const topic = ingest.topics.topicName({ kind: 'raw', feed: 'market' });
    assertEachOnce(await tradesOf(topic, new Set(['FIVEMB']), rows), rows);
  } finally {
    await ingest.close();
  }
});

test('batches follow the topic max.message.bytes read from the broker, not a guess', async () => {
  const ns = testNamespace();
  const topic = ns.topicName({ kind: 'raw', feed: 'market' });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '16384' }] }],
  });
  await admin.disconnect();
  const ingest = await startIngest({ INGEST_COMPRESSION: 'none' }, ns);
  try {
    const { body, rows } = tradesCsvBody('SMALLB', 400 * 1024);
    const response = await ingest.app.inject({
      method: 'POST',
      url: ROUTE,
      payload: body,
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(response.json(), { produced: rows, deadLettered: 0 });
    assertEachOnce(await tradesOf(topic, new Set(['SMALLB']), rows), rows);
  } finally {
    await ingest.close();
  }
});

/** POSTs over a real socket; `hold` keeps the request open after its first half until it resolves. */
function post(
  port: number,
  body: Buffer,
  hold?: Promise<void>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: ROUTE,
        headers: { 'content-type': 'text/csv', 'content-length': String(body.length) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: JSON.parse(Buffer.concat(parts).toString() || 'null') as unknown,
          }),
        );
      },
    );
    req.on('error', reject);
    if (!hold) {
      req.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    void hold.then(() => req.end(body.subarray(half)));
  });
}

test('beyond the cap on upload bytes in flight: 503 with Retry-After, and nothing of it accepted', async () => {
  const ingest = await startIngest({
    INGEST_MAX_BODY_BYTES: String(1024 * 1024),
    INGEST_UPLOAD_MAX_INFLIGHT_BYTES: String(1024 * 1024),
  });
  try {
    await ingest.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ingest.app.server.address() as AddressInfo).port;
    const first = tradesCsvBody('HELDUP', 600 * 1024);
    const refused = tradesCsvBody('REFUSED', 600 * 1024);
    let releaseFirst: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (releaseFirst = resolve));
    const firstResponse = post(port, first.body, hold);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the first is in flight
    const busy = await post(port, refused.body);
    assert.equal(busy.status, 503);
    assert.equal(busy.headers['retry-after'], '1');
    assert.equal((busy.json as { error: { code: string } }).error.code, 'TL_ERR_OVERLOADED');
    releaseFirst();
    const done = await firstResponse;
    assert.equal(done.status, 202);
    assert.deepEqual(done.json, { produced: first.rows, deadLettered: 0 });
    const topic = ingest.topics.topicName({ kind: 'raw', feed: 'market' });
    const trades = await tradesOf(topic, new Set(['HELDUP', 'REFUSED']), first.rows);
    assert.equal(trades.filter((t) => t.symbol === 'REFUSED').length, 0, 'nothing of the refused upload');
    assertEachOnce(trades, first.rows);
  } finally {
    await ingest.close();
  }
});

test('ten concurrent uploads of the largest allowed body: all accepted (after retries), every row once', async () => {
  const maxBody = 1024 * 1024;
  const ingest = await startIngest({
    INGEST_MAX_BODY_BYTES: String(maxBody),
    INGEST_UPLOAD_MAX_INFLIGHT_BYTES: String(3 * maxBody),
  });
  try {
    await ingest.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ingest.app.server.address() as AddressInfo).port;
    const uploads = Array.from({ length: 10 }, (_, i) => tradesCsvBody(`CONC${i}`, maxBody));
    let refusals = 0;
    const results = await Promise.all(
      uploads.map(async ({ body }) => {
        for (;;) {
          const response = await post(port, body);
          if (response.status !== 503) return response;
          refusals++;
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers['retry-after']) * 1000));
        }
      }),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      uploads.map(() => 202),
    );
    assert.deepEqual(
      results.map((r) => r.json),
      uploads.map((u) => ({ produced: u.rows, deadLettered: 0 })),
    );
    assert.ok(refusals > 0, 'the cap (three bodies) refused some of the ten at first');
    const total = uploads.reduce((sum, u) => sum + u.rows, 0);
    const symbols = new Set(uploads.map((_, i) => `CONC${i}`));
    assertEachOnce(
      await tradesOf(ingest.topics.topicName({ kind: 'raw', feed: 'market' }), symbols, total),
      total,
    );
  } finally {
    await ingest.close();
  }
});
