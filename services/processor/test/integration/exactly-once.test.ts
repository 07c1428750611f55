import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateKeys, type CleanReading } from '@tideline/contracts';
import { assertMarketOutputs, MARKET_GROUP } from '../support/assertions.ts';
import { startProcessor } from '../support/processor-process.ts';
import { TestBed } from '../support/test-bed.ts';
import { tradeSet } from '../support/trades.ts';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'];

test('trades with disorder, late records, duplicates and garbage give exactly the expected outputs', async (t) => {
  const bed = new TestBed();
  t.after(() => bed.cleanup());
  const records = tradeSet({ seed: 7, count: 4000, symbols: SYMBOLS, partitions: 3 });
  await bed.produce(bed.rawMarketTopic(), records);
  const processor = await startProcessor({
    PROCESSOR_TOPIC_NAMESPACE: bed.namespace,
    PROCESSOR_JOBS: 'market',
    // A low bound on changed state: batches are committed in several transactions each.
    PROCESSOR_MAX_CHANGES_PER_TRANSACTION: '40',
  });
  t.after(() => processor.kill('SIGTERM'));
  await bed.waitCaughtUp(MARKET_GROUP(bed.namespace), bed.rawMarketTopic());

  await assertMarketOutputs(bed, records);

  // The queryable state holds each symbol's latest committed reading.
  await bed.redis.connect();
  const keys = stateKeys(bed.namespace);
  for (const symbol of SYMBOLS) {
    const partition = SYMBOLS.indexOf(symbol) % 3;
    const last = records.filter((r) => r.trade?.symbol === symbol && r.partition === partition).at(-1);
    const stored = await bed.redis.hget(keys.latest('market', symbol), 'reading');
    assert.ok(stored !== null, `latest reading of ${symbol}`);
    assert.equal((JSON.parse(stored) as CleanReading).eventId, last?.trade?.eventId);
  }
  assert.equal(await bed.redis.zcard(keys.keys('market')), SYMBOLS.length);
});
