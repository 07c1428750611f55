import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feed, SCHEMA_VERSION, topicNamer, type RawEventDraft } from '@tideline/contracts';
import { createRegistry } from '@tideline/service-kit';
import { pino } from 'pino';
import { createIngestMetrics } from '../../../src/metrics.ts';
import { PublishSession, type SealedBatch } from '../../../src/publish/publish-session.ts';

function trade(i: number): RawEventDraft {
  return {
    schemaVersion: SCHEMA_VERSION,
    feed: Feed.market,
    symbol: 'AGL',
    side: 'BUY',
    price: 10 + i,
    quantity: i,
    eventTimeMs: 1_534_849_272_066 + i,
    source: 'test',
  };
}

function session(send: (batch: SealedBatch) => Promise<void>, budgetBytes = 2000) {
  return new PublishSession({
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
