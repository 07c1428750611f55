import { test } from 'node:test';
import { assertMarketOutputs, MARKET_GROUP } from '../support/assertions.ts';
import { startProcessor } from '../support/processor-process.ts';
import { TestBed } from '../support/test-bed.ts';
import { tradeSet } from '../support/trades.ts';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a second instance joins and the first leaves mid-stream: nothing lost or doubled', async (t) => {
  const bed = new TestBed();
  t.after(() => bed.cleanup());
  const records = tradeSet({ seed: 23, count: 16_000, symbols: SYMBOLS, partitions: 3 });
  const topic = bed.rawMarketTopic();
  const env = {
    PROCESSOR_TOPIC_NAMESPACE: bed.namespace,
    PROCESSOR_JOBS: 'market',
    PROCESSOR_MAX_BYTES_PER_PARTITION: '32768',
  };
  const waves = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1000) {
      await bed.produce(topic, records.slice(i, Math.min(i + 1000, to)));
      await sleep(200);
    }
  };
  const first = await startProcessor(env);
  t.after(() => first.kill('SIGKILL'));
  await waves(0, 5000);
  const second = await startProcessor(env);
  t.after(() => second.kill('SIGKILL'));
  await waves(5000, 10_000);
  await first.kill('SIGTERM');
  await waves(10_000, records.length);
  await bed.waitCaughtUp(MARKET_GROUP(bed.namespace), topic);
  await assertMarketOutputs(bed, records);
});
