// The seed's sample trades (the original project's CSV, quirks included) through ingest and the
// processor, both as processes in a namespace of the test's own: the committed window results equal
// what the windowing engine gives for the same job over the same records, partition by partition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { topicNamer, type WindowAggregate } from '@tideline/contracts';
import { createKafka, readToEnd } from '@tideline/kafka';
import { startService } from '../../scripts/lib/service-process.ts';
import { stack } from '../support/env.ts';
import { rawTradesByPartition, recomputeMarketHopping } from '../support/market-job.ts';

// The repository's copy of ../shared/seed-data/market/sample_trades.csv (contracts' fixtures).
const SEED_CSV = new URL(
  '../../packages/contracts/test/fixtures/seed/market/sample_trades.csv',
  import.meta.url,
);
const namer = topicNamer(`t-${randomBytes(4).toString('hex')}`);
const kafka = createKafka({ clientId: 'e2e-seed', brokers: stack.kafkaBrokers });

type Prices = { avg: number; min: number; max: number };

test(
  "the seed trades through ingest and the processor give the engine's rows for the market job",
  { timeout: 180_000 },
  async (t) => {
    const ingest = await startService('ingest', 28182, {
      INGEST_PORT: '28182',
      INGEST_LOG_LEVEL: 'warn',
      INGEST_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      INGEST_REDIS_URL: stack.redisUrl,
      INGEST_TOPIC_NAMESPACE: namer.namespace,
      INGEST_FEEDS: '',
      INGEST_LEGACY_TOPICS: '',
      INGEST_CURSOR_KEY: `e2e:seed:${namer.namespace}`,
    });
    t.after(() => ingest.stop());
    const processor = await startService('processor', 28183, {
      PROCESSOR_PORT: '28183',
      PROCESSOR_LOG_LEVEL: 'warn',
      PROCESSOR_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      PROCESSOR_REDIS_URL: stack.redisUrl,
      PROCESSOR_TOPIC_NAMESPACE: namer.namespace,
      PROCESSOR_JOBS: 'market',
      PROCESSOR_CATALOGUE_URL: '',
    });
    t.after(() => processor.stop());
    t.after(() => cleanup());

    const upload = await fetch(`${ingest.url}/v1/ingest/market/trades-csv`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: readFileSync(SEED_CSV),
    });
    assert.equal(upload.status, 202, await upload.clone().text());
    assert.deepEqual(await upload.json(), { produced: 9, deadLettered: 0 });

    // What the engine gives for the job over the records as they landed, partition by partition.
    const raw = namer.topicName({ kind: 'raw', feed: 'market' });
    const byPartition = await rawTradesByPartition(kafka, raw, namer.namespace);
    const trades = [...byPartition.values()].flat();
    assert.equal(trades.length, 9, 'the nine seed trades are on the raw topic');
    const expected = recomputeMarketHopping(byPartition).map((w) =>
      row(w.key, w.startMs, w.endMs, w, w.count),
    );

    // The processor's committed results, once it has consumed everything.
    const admin = kafka.admin();
    await admin.connect();
    t.after(() => admin.disconnect());
    const group = `${namer.namespace}.tideline-processor.market`;
    for (let i = 0; ; i++) {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [raw] });
      const committed = (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      if (committed >= 9) break;
      assert.ok(i < 300, 'the processor consumed the trades');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const actual: string[] = [];
    let readings = 0;
    const topics = (await admin.listTopics()).filter(
      (name) => namer.parseTopicName(name)?.kind === 'processed',
    );
    for (const topic of topics) {
      await readToEnd(kafka, {
        topic,
        groupPrefix: namer.namespace,
        onMessage: (_p, m) => {
          if (m.headers?.['tl-kind']?.toString() === 'reading') readings++;
          const w = JSON.parse(String(m.value)) as WindowAggregate;
          if (w.job === 'market-hopping')
            actual.push(row(w.key, w.windowStartMs, w.windowEndMs, w.aggregates as Prices, w.count));
        },
      });
    }
    assert.equal(readings, 9, 'one cleaned reading per trade');
    assert.ok(expected.length > 0, 'the seed closes some windows');
    assert.deepEqual(actual.sort(), expected.sort());
  },
);

function row(key: string, start: number, end: number, v: Prices, count: number): string {
  return JSON.stringify([key, start, end, v.avg, v.min, v.max, count]);
}

async function cleanup(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((name) => name.startsWith(`${namer.namespace}.`));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  const groups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((g) => g.startsWith(namer.namespace));
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
}
