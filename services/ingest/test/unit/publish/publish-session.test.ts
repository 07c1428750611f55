import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feed, SCHEMA_VERSION, topicNamer, type RawEventDraft } from '@tideline/contracts';
import { createRegistry } from '@tideline/service-kit';
import { pino } from 'pino';
import { createIngestMetrics } from '../../../src/metrics.ts';
import { PublishSession, type SealedBatch } from '../../../src/publish/publish-session.ts';

function trade(i: number, symbol = 'AGL'): RawEventDraft {
  return {
    schemaVersion: SCHEMA_VERSION,
    feed: Feed.market,
    symbol,
    side: 'BUY',
    price: 10 + i,
    quantity: i,
    eventTimeMs: 1_534_849_272_066 + i,
    source: 'test',
  };
}

function session(
  send: (batch: SealedBatch) => Promise<void>,
  budgetBytes = 2000,
  partitionOf?: (topic: string, key: string) => number | undefined,
) {
  return new PublishSession({
    partitionOf,
    source: 'test',
    topics: topicNamer('unit'),
    dlqTopic: 'unit.dlq.ingest',
    budgetBytes,
    eventTimeRange: { minMs: Date.UTC(2000, 0, 1), maxAheadMs: 86_400_000 },
    clock: () => Date.UTC(2026, 0, 1),
    send,
    logger: pino({ level: 'silent' }),
    metrics: createIngestMetrics(createRegistry('unit')),
  });
}

test('PublishSession never sends a batch over its byte budget and keeps per-key order', async () => {
  const sent: SealedBatch[] = [];
  const s = session(async (batch) => void sent.push(batch));
  for (let i = 0; i < 100; i++) {
    s.add(trade(i));
    if (s.full) await s.flush();
  }
  const result = await s.finish();
  assert.equal(result.produced, 100);
  assert.ok(sent.length > 5, `split into ${sent.length} batches`);
  const quantities: number[] = [];
  for (const batch of sent) {
    for (const { messages } of batch.topicMessages) {
      const bytes = messages.reduce((sum, m) => sum + (m.value as Buffer).length, 0);
      assert.ok(bytes <= 2000, `batch of ${bytes} bytes within the budget`);
      for (const m of messages)
        quantities.push((JSON.parse(String(m.value)) as { quantity: number }).quantity);
    }
  }
  assert.deepEqual(quantities, [...Array(100).keys()]);
});

test('PublishSession reports only what Kafka acknowledged when a batch fails part-way', async () => {
  let calls = 0;
  const s = session(async (batch) => {
    calls++;
    if (calls === 3) throw new Error('broker refused');
    void batch;
  });
  let failure: unknown;
  try {
    for (let i = 0; i < 100; i++) {
      s.add(trade(i));
      if (s.full) await s.flush();
    }
    await s.finish();
  } catch (error) {
    failure = error;
  }
  assert.match(String(failure), /broker refused/);
  assert.ok(s.acked.produced > 0 && s.acked.produced < 100, `acknowledged ${s.acked.produced} of 100`);
  assert.equal(calls, 3, 'nothing is sent after a failed batch');
});

test('PublishSession applies the byte budget per partition: one request carries several full partitions', async () => {
  const sent: SealedBatch[] = [];
  const s = session(
    async (batch) => void sent.push(batch),
    2000,
    (_topic, key) => (key === 'AGL' ? 0 : 1),
  );
  for (let i = 0; i < 100; i++) {
    s.add(trade(i, i % 2 ? 'AGL' : 'BHP'));
    if (s.full) await s.flush();
  }
  assert.equal((await s.finish()).produced, 100);
  let largest = 0;
  for (const batch of sent) {
    const perPartition = new Map<number, number>();
    let total = 0;
    for (const { messages } of batch.topicMessages) {
      for (const m of messages) {
        const bytes = (m.value as Buffer).length;
        perPartition.set(m.partition as number, (perPartition.get(m.partition as number) ?? 0) + bytes);
        total += bytes;
      }
    }
    for (const bytes of perPartition.values())
      assert.ok(bytes <= 2000, `a partition's batch of ${bytes} bytes`);
    largest = Math.max(largest, total);
  }
  assert.ok(largest > 2000, `a request carried ${largest} bytes over two partitions`);
});
