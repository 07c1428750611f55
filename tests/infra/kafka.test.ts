import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createKafka, createReliableProducer, ensureTopics } from '@tideline/kafka';
import { stack, uniqueName } from '../support/env.ts';

const kafka = createKafka({ clientId: 'infra-smoke', brokers: stack.kafkaBrokers });
const admin = kafka.admin();
const created: string[] = [];

after(async () => {
  if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
});

/** Reads a topic from the start until `expected` records arrived or the deadline passed. */
async function readAll(topic: string, isolation: 'committed' | 'uncommitted', expected: number) {
  const consumer = kafka.consumer({
    groupId: uniqueName('smoke'),
    readUncommitted: isolation === 'uncommitted',
  });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? '');
        if (values.length >= expected) resolve();
      },
    });
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 8000))]);
  await consumer.disconnect();
  return values;
}

test('a committed transaction is visible to a read-committed consumer and an aborted one is not', async () => {
  await admin.connect();
  const topic = uniqueName('smoke-tx');
  created.push(topic);
  assert.deepEqual(await ensureTopics(admin, [{ topic, partitions: 1 }]), [topic]);
  assert.deepEqual(
    await ensureTopics(admin, [{ topic, partitions: 1 }]),
    [],
    'second ensure creates nothing',
  );

  const producer = createReliableProducer(kafka, { transactionalId: uniqueName('smoke-tx-id') });
  await producer.connect();
  const committed = await producer.transaction();
  await committed.send({
    topic,
    acks: -1,
    messages: [
      { key: 'k', value: 'committed-1' },
      { key: 'k', value: 'committed-2' },
    ],
  });
  await committed.commit();
  const aborted = await producer.transaction();
  await aborted.send({ topic, acks: -1, messages: [{ key: 'k', value: 'aborted-1' }] });
  await aborted.abort();
  const last = await producer.transaction();
  await last.send({ topic, acks: -1, messages: [{ key: 'k', value: 'committed-3' }] });
  await last.commit();
  await producer.disconnect();

  assert.deepEqual(await readAll(topic, 'committed', 3), ['committed-1', 'committed-2', 'committed-3']);
  const uncommitted = await readAll(topic, 'uncommitted', 4);
  assert.ok(uncommitted.includes('aborted-1'), 'a read-uncommitted consumer does see the aborted record');
});
