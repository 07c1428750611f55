import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertMarketOutputs, MARKET_GROUP } from '../support/assertions.ts';
import { startProcessor, type ProcessorProcess } from '../support/processor-process.ts';
import { TestBed } from '../support/test-bed.ts';
import { random, tradeSet } from '../support/trades.ts';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('SIGKILL at random moments, six times, loses and doubles nothing', async (t) => {
  const bed = new TestBed();
  t.after(() => bed.cleanup());
  const records = tradeSet({ seed: 11, count: 24_000, symbols: SYMBOLS, partitions: 3 });
  const topic = bed.rawMarketTopic();
  const env = {
    PROCESSOR_TOPIC_NAMESPACE: bed.namespace,
    PROCESSOR_JOBS: 'market',
    // Small fetches: many small transactions, so kills land inside and between them.
    PROCESSOR_MAX_BYTES_PER_PARTITION: '16384',
  };
  await bed.produce(topic, records.slice(0, 2000));
  let processor: ProcessorProcess = await startProcessor(env);
  t.after(() => processor.kill('SIGKILL'));

  // The producer keeps writing while the processor is killed and restarted.
  const producing = (async () => {
    for (let i = 2000; i < records.length; i += 1000) {
      await bed.produce(topic, records.slice(i, i + 1000));
      await sleep(250);
    }
  })();
  const rnd = random(99);
  let kills = 0;
  for (; kills < 6; kills++) {
    await sleep(300 + Math.floor(rnd() * 900));
    await processor.kill('SIGKILL');
    processor = await startProcessor(env);
  }
  await producing;
  await bed.waitCaughtUp(MARKET_GROUP(bed.namespace), topic);
  assert.equal(kills, 6);
  await assertMarketOutputs(bed, records);
});
