import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stateKeys, type JobVersionState, type WindowAggregate } from '@tideline/contracts';
import { MARKET_GROUP } from '../support/assertions.ts';
import { startProcessor } from '../support/processor-process.ts';
import { KAFKA_BROKERS, REDIS_URL, TestBed } from '../support/test-bed.ts';
import { sortRows, tradeSet } from '../support/trades.ts';

const REPROCESS = fileURLToPath(new URL('../../src/reprocess.ts', import.meta.url));

test('reprocessing replays the raw log into .v2 outputs, says when it has caught up, and cuts over on command', async (t) => {
  const bed = new TestBed();
  t.after(() => bed.cleanup());
  const records = tradeSet({ seed: 31, count: 5000, symbols: ['AAA', 'BBB', 'CCC'], partitions: 3 });
  await bed.produce(bed.rawMarketTopic(), records);
  const v1 = await startProcessor({ PROCESSOR_TOPIC_NAMESPACE: bed.namespace, PROCESSOR_JOBS: 'market' });
  t.after(() => v1.kill('SIGTERM'));
  await bed.waitCaughtUp(MARKET_GROUP(bed.namespace), bed.rawMarketTopic());

  const env = {
    ...process.env,
    PROCESSOR_TOPIC_NAMESPACE: bed.namespace,
    PROCESSOR_KAFKA_BROKERS: KAFKA_BROKERS,
    PROCESSOR_REDIS_URL: REDIS_URL,
    PROCESSOR_CATALOGUE_URL: '',
    PROCESSOR_PORT: '0',
    PROCESSOR_SESSION_TIMEOUT_MS: '6000',
  };
  const child = spawn(process.execPath, [REPROCESS, 'run', '--job', 'market', '--version', '2'], { env });
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no catch-up:\n${output}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('caught up')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  });
  assert.match(output, /replaying 5,\d{3} records from the beginning into \.v2 outputs/);
  assert.match(output, /\[#+\] 100\.0% .* records\/s, ETA 0 s/);

  // The old version keeps serving until the cut-over.
  await bed.redis.connect();
  const jobsKey = stateKeys(bed.namespace).jobs('market');
  assert.equal(await bed.redis.hget(jobsKey, 'serving'), '1');
  assert.equal(
    (JSON.parse((await bed.redis.hget(jobsKey, 'v2')) ?? '{}') as JobVersionState).status,
    'caught-up',
  );

  // Same job, same log: the v2 topics hold exactly v1's window results.
  const rows = await bed.readOutputs((topic) => topic.includes('.processed.market.'));
  const windows = (v2: boolean) =>
    sortRows(
      rows
        .filter((r) => r.kind === 'window' && r.topic.endsWith('.v2') === v2)
        .map((r) => r.value as WindowAggregate)
        .filter((w) => w.job === 'market-hopping'),
    );
  assert.ok(windows(false).length > 50);
  assert.deepEqual(windows(true), windows(false));

  const cut = spawn(process.execPath, [REPROCESS, 'cutover', '--job', 'market', '--version', '2'], { env });
  let cutOutput = '';
  cut.stdout.on('data', (d: Buffer) => (cutOutput += d.toString()));
  await new Promise((resolve) => cut.once('exit', resolve));
  assert.match(cutOutput, /version 2 now serves \(was 1\)/);
  assert.equal(await bed.redis.hget(jobsKey, 'serving'), '2');
  assert.equal(
    (JSON.parse((await bed.redis.hget(jobsKey, 'v2')) ?? '{}') as JobVersionState).status,
    'serving',
  );
  // Stopped here, gracefully, so its consumer group leaves and the clean-up can delete it.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});
