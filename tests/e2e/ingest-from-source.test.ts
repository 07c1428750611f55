// The front of the pipeline as a user runs it: source-api and ingest as processes, Kafka real.
// The source goes down for several seconds, ingest is killed with SIGKILL and restarted, then
// stopped with SIGTERM: every trade the source served in that time is on raw.market.trades.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { topicNamer } from '@tideline/contracts';
import { createKafka, deleteByPrefix, fetchEndOffsets } from '@tideline/kafka';
import { Redis } from 'ioredis';
import { startService, type RunningService } from '../../scripts/lib/service-process.ts';
import { stack, uniqueName } from '../support/env.ts';
import { assertNoTradeMissing, cursorTimeMs } from '../support/trades.ts';

const SOURCE_PORT = 28081;
const INGEST_PORT = 28082;
const INTERVAL_MS = 100;
const tag = randomBytes(2).toString('hex').toUpperCase();
const symbols = [`E${tag}A`, `E${tag}B`, `E${tag}C`];
const cursorKey = `e2e:ingest:cursors:${tag}`;

const topics = topicNamer(uniqueName('t-src'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startIngest(sourceUrl: string): Promise<RunningService> {
  return startService('ingest', INGEST_PORT, {
    INGEST_PORT: String(INGEST_PORT),
    INGEST_LOG_LEVEL: 'warn',
    INGEST_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    INGEST_REDIS_URL: stack.redisUrl,
    INGEST_SOURCE_URL: sourceUrl,
    INGEST_FEEDS: 'market',
    INGEST_PAGE_LIMIT: '100',
    INGEST_POLL_INTERVAL_MS: '200',
    INGEST_RETRY_MAX_MS: '1000',
    INGEST_CURSOR_KEY: cursorKey,
    INGEST_TOPIC_NAMESPACE: topics.namespace,
    INGEST_LEGACY_TOPICS: '',
  });
}

test('an outage, a kill -9 and a SIGTERM of ingest lose no trade', { timeout: 120_000 }, async () => {
  const topic = topics.topicName({ kind: 'raw', feed: 'market' });
  const start = await fetchEndOffsets(createKafka({ clientId: 'e2e-offsets', brokers: stack.kafkaBrokers }), [
    topic,
  ]);
  const source = await startService('source-api', SOURCE_PORT, {
    SOURCE_API_PORT: String(SOURCE_PORT),
    SOURCE_API_LOG_LEVEL: 'warn',
    SOURCE_API_SYMBOLS: symbols.join(','),
    SOURCE_API_MARKET_INTERVAL_MS: String(INTERVAL_MS),
    SOURCE_API_HISTORY_MS: '10000',
  });
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  let ingest: RunningService | undefined;
  try {
    ingest = await startIngest(source.url);
    await sleep(2000);
    const outage = await fetch(`${source.url}/v1/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outageForMs: 4000 }),
    });
    assert.equal(outage.status, 200);
    await sleep(2000);
    assert.equal((await fetch(`${source.url}/v1/market/trades?limit=1`)).status, 503, 'the source is down');
    await sleep(3000);

    await ingest.stop('SIGKILL');
    await sleep(1000); // trades keep coming while ingest is dead
    ingest = await startIngest(source.url);
    await sleep(3000);
    assert.equal(await ingest.stop('SIGTERM'), 0, 'ingest exits cleanly on SIGTERM');
    ingest = undefined;

    const cursor = await redis.hget(cursorKey, 'market');
    assert.ok(cursor, 'ingest saved its cursor');
    // Everything before the saved cursor was acknowledged by Kafka: read it all back.
    const trades = await assertNoTradeMissing({
      brokers: stack.kafkaBrokers,
      topic,
      from: start.get(topic),
      symbols,
      intervalMs: INTERVAL_MS,
      untilMs: await cursorTimeMs(source.url, cursor),
      minSlots: 100,
    });
    assert.ok(trades.length > 300, `trades arrived (${trades.length})`);
  } finally {
    await ingest?.stop('SIGKILL');
    await source.stop();
    await redis.del(cursorKey);
    redis.disconnect();
    await deleteByPrefix(createKafka({ clientId: 'e2e-cleanup', brokers: stack.kafkaBrokers }), {
      topicPrefix: `${topics.namespace}.`,
    });
  }
});
