// Kafka stops for several seconds under a running ingest: ingest reports not ready, waits, and once
// the broker is back every trade the source served is on raw.market.trades. Uses a broker of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { topicNamer } from '@tideline/contracts';
import { Redis } from 'ioredis';
import { startService, type RunningService } from '../../scripts/lib/service-process.ts';
import { stack, uniqueName } from '../support/env.ts';
import { createPrivateKafka } from '../support/private-kafka.ts';
import { assertNoTradeMissing, cursorTimeMs } from '../support/trades.ts';

const SOURCE_PORT = 28181;
const INGEST_PORT = 28182;
const KAFKA_PORT = 29092;
const INTERVAL_MS = 100;
const tag = randomBytes(2).toString('hex').toUpperCase();
const symbols = [`K${tag}A`, `K${tag}B`];
const cursorKey = `e2e:kafka-restart:cursors:${tag}`;

const topics = topicNamer(uniqueName('t-kr'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readiness(
  url: string,
): Promise<{ status: number; body: { checks?: Record<string, string> } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks?: Record<string, string> } };
}

test('a Kafka restart under a running ingest loses no trade', { timeout: 240_000 }, async () => {
  const kafka = await createPrivateKafka(KAFKA_PORT);
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  let source: RunningService | undefined;
  let ingest: RunningService | undefined;
  try {
    await kafka.start();
    source = await startService('source-api', SOURCE_PORT, {
      SOURCE_API_PORT: String(SOURCE_PORT),
      SOURCE_API_LOG_LEVEL: 'warn',
      SOURCE_API_SYMBOLS: symbols.join(','),
      SOURCE_API_MARKET_INTERVAL_MS: String(INTERVAL_MS),
      SOURCE_API_HISTORY_MS: '5000',
    });
    ingest = await startService('ingest', INGEST_PORT, {
      INGEST_PORT: String(INGEST_PORT),
      INGEST_LOG_LEVEL: 'error',
      INGEST_KAFKA_BROKERS: kafka.brokers.join(','),
      INGEST_REDIS_URL: stack.redisUrl,
      INGEST_SOURCE_URL: source.url,
      INGEST_FEEDS: 'market',
      INGEST_PAGE_LIMIT: '50',
      INGEST_POLL_INTERVAL_MS: '200',
      INGEST_CURSOR_KEY: cursorKey,
      INGEST_TOPIC_NAMESPACE: topics.namespace,
      INGEST_LEGACY_TOPICS: '',
    });
    await sleep(3000);

    await kafka.stop();
    await sleep(8000);
    const down = await readiness(ingest.url);
    assert.equal(down.status, 503, `not ready while Kafka is away: ${JSON.stringify(down.body)}`);
    assert.equal((await fetch(`${ingest.url}/healthz`)).status, 200, 'alive all the same');

    await kafka.start();
    let ready = false;
    for (let i = 0; i < 60 && !ready; i++) {
      await sleep(1000);
      ready = (await readiness(ingest.url)).status === 200;
    }
    assert.ok(ready, 'ready again once Kafka is back');
    await sleep(3000);
    assert.equal(await ingest.stop('SIGTERM'), 0, 'ingest exits cleanly on SIGTERM');
    ingest = undefined;

    const cursor = await redis.hget(cursorKey, 'market');
    assert.ok(cursor, 'ingest saved its cursor');
    await assertNoTradeMissing({
      brokers: kafka.brokers,
      topic: topics.topicName({ kind: 'raw', feed: 'market' }),
      from: undefined,
      symbols,
      intervalMs: INTERVAL_MS,
      untilMs: await cursorTimeMs(source.url, cursor),
      minSlots: 120,
    });
  } finally {
    await ingest?.stop('SIGKILL');
    await source?.stop();
    await kafka.destroy();
    await redis.del(cursorKey);
    redis.disconnect();
  }
});
