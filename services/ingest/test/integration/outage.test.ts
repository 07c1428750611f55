// A source that fails for several seconds in the middle of a feed, and answers garbage once:
// ingest retries with backoff and, once the source is back, has produced every trade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DeadLetter, MarketTrade } from '@tideline/contracts';
import { collectMessages, fetchEndOffsets } from '@tideline/kafka';
import { kafka, startIngest, testNamespace } from './harness.ts';

const TOTAL = 2000;
const symbol = `OUT${randomBytes(2).toString('hex').toUpperCase()}`;

/** A paged trades feed whose cursor is an index; fails with 503 while `down` and once with garbage. */
function flakySource() {
  const state = { down: false, garbageOnce: true, requests: 0, failures: 0 };
  const server: Server = createServer((request, response) => {
    state.requests++;
    const url = new URL(request.url ?? '/', 'http://x');
    if (state.down) {
      state.failures++;
      response.writeHead(503).end('{"error":"maintenance"}');
      return;
    }
    const since = Number(url.searchParams.get('since') ?? '0');
    if (state.garbageOnce && since > 0) {
      state.garbageOnce = false;
      state.failures++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"itemz": "<html>oops</html>"}');
      return;
    }
    const limit = Number(url.searchParams.get('limit'));
    const end = Math.min(TOTAL, since + limit);
    const items = [];
    for (let i = since; i < end; i++) {
      items.push({
        symbol,
        side: i % 2 ? 'BUY' : 'SELL',
        price: 100 + i / 100,
        quantity: i,
        eventTimeMs: 1_700_000_000_000 + i,
      });
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ items, nextCursor: String(end) }));
  });
  return { server, state };
}

test('a source outage of several seconds loses nothing once the source is back', async () => {
  const { server, state } = flakySource();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const ns = testNamespace();
  const trades = ns.topicName({ kind: 'raw', feed: 'market' });
  const dlq = ns.topicName({ kind: 'dlq', stage: 'ingest' });
  let ingest: Awaited<ReturnType<typeof startIngest>> | undefined;
  try {
    const start = await fetchEndOffsets(kafka, [trades, dlq]);
    state.down = true; // down from the very first request
    ingest = await startIngest(
      {
        INGEST_FEEDS: 'market',
        INGEST_SOURCE_URL: `http://127.0.0.1:${port}`,
        INGEST_PAGE_LIMIT: '50',
        INGEST_POLL_INTERVAL_MS: '50',
      },
      ns,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.ok(state.failures >= 3, `ingest kept retrying during the outage (${state.failures} failures)`);
    const pollers = (await ingest.app.inject({ url: '/v1/pollers' })).json();
    assert.deepEqual(pollers, { pollers: [{ feed: 'market', healthy: false }] });
    state.down = false;

    const records = await collectMessages(kafka, {
      topic: trades,
      from: start.get(trades),
      until: (m) => m.filter((r) => r.key === symbol).length >= TOTAL,
      timeoutMs: 60_000,
    });
    const ours = records.filter((r) => r.key === symbol).map((r) => JSON.parse(r.value ?? '') as MarketTrade);
    const quantities = new Set(ours.map((t) => t.quantity));
    assert.equal(quantities.size, TOTAL, 'every trade arrived');
    assert.deepEqual(
      ours.map((t) => t.quantity),
      [...Array(TOTAL).keys()],
      'in order and exactly once (no page was produced twice)',
    );
    assert.equal(await ingest.redis.hget(ingest.config.CURSOR_KEY, 'market'), String(TOTAL));

    const letters = await collectMessages(kafka, {
      topic: dlq,
      from: start.get(dlq),
      until: (m) => m.some((r) => r.value?.includes('oops')),
      timeoutMs: 10_000,
    });
    const garbage = letters
      .map((r) => JSON.parse(r.value ?? '') as DeadLetter)
      .find((l) => l.rawPayload.includes('oops'));
    assert.equal(garbage?.reasonCode, 'INGEST_ERR_SOURCE_BAD_RESPONSE');
  } finally {
    await ingest?.close();
    server.close();
  }
});
