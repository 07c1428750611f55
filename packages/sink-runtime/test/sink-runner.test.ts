// The runner against the real Kafka, with a store of this test's own (the store is our interface, not
// infrastructure): retries while the store fails, dead letters for what it rejects and what cannot be
// decoded, commits that reach the end of the topics, and a start while Kafka cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { topicNamer } from '@tideline/contracts';
import { collectMessages, createKafka, fetchEndOffsets } from '@tideline/kafka';
import { createRegistry } from '@tideline/service-kit';
import { pino } from 'pino';
import {
  generateProcessedOutput,
  poisonReading,
  produceFixture,
  SinkRunner,
  startTcpProxy,
  StoreUnavailableError,
  type SinkRecord,
  type SinkStore,
  type WriteOutcome,
} from '../src/index.ts';

// A test, not library code: it finds the local stack the way tests/support/env.ts does.
// eslint-disable-next-line no-restricted-properties
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = createKafka({ clientId: 'sink-runtime-it', brokers });

class MemoryStore implements SinkStore {
  readonly name = 'memory';
  readonly rows = new Map<string, SinkRecord>();
  failuresLeft: number;
  writes = 0;
  constructor(failures: number) {
    this.failuresLeft = failures;
  }
  async check(): Promise<void> {}
  async write(records: readonly SinkRecord[]): Promise<WriteOutcome> {
    this.writes += 1;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new StoreUnavailableError('MEMORY_DOWN', 'down for the test');
    }
    const outcome: WriteOutcome = { written: 0, expired: 0, rejected: [] };
    for (const record of records) {
      if (record.kind === 'reading' && record.value.key === 'PZ-POISON') {
        outcome.rejected.push({ record, code: 'MEMORY_REJECTED', reason: 'poison' });
      } else {
        this.rows.set(identity(record), record);
        outcome.written += 1;
      }
    }
    return outcome;
  }
}

function identity(record: SinkRecord): string {
  return `${record.meta.jobVersion}|${record.kind}|${JSON.stringify(record.value)}`;
}

function isolation() {
  const namespace = `t-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return {
    namespace,
    namer: topicNamer(namespace),
    groupId: `${namespace}-runner`,
    async cleanup() {
      const admin = kafka.admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      await admin.deleteGroups([`${namespace}-runner`]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a failing store is retried, rejections and undecodable records are dead-lettered, offsets reach the end', async (t) => {
  const iso = isolation();
  const store = new MemoryStore(3);
  const runner = new SinkRunner({
    kafka,
    store,
    logger: pino({ level: 'silent' }),
    registry: createRegistry('sink-runtime-test'),
    namespace: iso.namespace,
    groupId: iso.groupId,
    kinds: ['processed', 'alerts'],
    stage: 'sink-postgres',
    topicRefreshMs: 200,
    retry: { initialMs: 20, maxMs: 100 },
  });
  t.after(async () => {
    await runner.close();
    await iso.cleanup();
  });
  const fixture = generateProcessedOutput({
    namer: iso.namer,
    startMs: 0,
    secondsPerKey: 15,
    symbols: ['BHP'],
  });
  const poison = poisonReading(iso.namer, 5000);
  await produceFixture(kafka, [...fixture, poison]);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: poison.topic,
    messages: [{ value: 'not json', headers: { 'tl-kind': 'reading' } }],
  });
  await producer.disconnect();
  runner.start();

  await until('every valid record', () => store.rows.size === fixture.length);
  assert.ok(runner.stats().retries >= 3);
  assert.equal(runner.stats().written, fixture.length);
  const letters = await collectMessages(kafka, {
    topic: runner.deadLetterTopic,
    until: (m) => m.length >= 2,
    timeoutMs: 20_000,
  });
  const codes = letters.map(
    (m) => JSON.parse(m.value!) as { reasonCode: string; rawPayload: string; stage: string },
  );
  assert.deepEqual(codes.map((c) => c.reasonCode).sort(), ['MEMORY_REJECTED', 'SINK_ERR_MALFORMED_JSON']);
  assert.equal(codes.find((c) => c.reasonCode === 'SINK_ERR_MALFORMED_JSON')!.rawPayload, 'not json');
  assert.ok(codes.every((c) => c.stage === 'sink-postgres'));

  // Committed offsets reach the end of every topic (transaction markers included at most).
  const topics = [...runner.subscribedTopics];
  const ends = await fetchEndOffsets(kafka, topics);
  const admin = kafka.admin();
  await admin.connect();
  await until('offsets committed to the end', async () => {
    const committed = await admin.fetchOffsets({ groupId: iso.groupId, topics });
    return committed.every(({ topic, partitions }) =>
      partitions.every(
        (p) => BigInt(ends.get(topic)!.get(p.partition)!) - BigInt(p.offset === '-1' ? 0 : p.offset) <= 1n,
      ),
    );
  });
  await admin.disconnect();
});

test('a runner started while Kafka cannot be reached waits, then consumes once it can', async (t) => {
  const iso = isolation();
  const fixture = generateProcessedOutput({
    namer: iso.namer,
    startMs: 0,
    secondsPerKey: 5,
    symbols: [],
    piezometers: 1,
    sensorNodes: 0,
  });
  await produceFixture(kafka, fixture);
  const [host, port] = brokers[0]!.split(':');
  const proxy = await startTcpProxy({ host: host!, port: Number(port) });
  proxy.cut();
  const store = new MemoryStore(0);
  const runner = new SinkRunner({
    kafka: createKafka({
      clientId: 'sink-runtime-it-proxy',
      brokers: [`127.0.0.1:${proxy.port}`],
      connectionTimeoutMs: 500,
    }),
    store,
    logger: pino({ level: 'silent' }),
    registry: createRegistry('sink-runtime-test'),
    namespace: iso.namespace,
    groupId: iso.groupId,
    kinds: ['processed'],
    stage: 'sink-postgres',
    topicRefreshMs: 200,
    retry: { initialMs: 50, maxMs: 200 },
  });
  t.after(async () => {
    await runner.close();
    await proxy.close();
    await iso.cleanup();
  });
  runner.start();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  assert.equal(runner.ready, false);
  assert.equal(store.writes, 0);
  // Only the bootstrap goes through the proxy: the broker then advertises its own address.
  proxy.restore();
  await until('every record', () => store.rows.size === fixture.length);
  assert.equal(runner.ready, true);
});
