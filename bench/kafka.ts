// `pnpm bench kafka`: the ceiling of kafkajs against the local broker. Produces 200-byte messages in
// batches with the same producer settings ingest uses (idempotent, acks from all in-sync replicas),
// with and without compression, then consumes them back. Later benchmarks compare with these figures.
import { randomBytes } from 'node:crypto';
import {
  createKafka,
  createReliableProducer,
  ensureTopics,
  Compression,
  type CompressionName,
} from '@tideline/kafka';
import type { BenchMetric } from '../scripts/bench.ts';
import { kafkajsConsumeRate } from './lib/consume-rate.ts';

const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(',');
const MESSAGE_BYTES = 200;
const BATCH = 1000;
const PARTITIONS = 3;

export async function run(args: string[]): Promise<BenchMetric[]> {
  const total = Number(args[0] ?? 200_000);
  const kafka = createKafka({ clientId: 'bench-kafka', brokers });
  const admin = kafka.admin();
  await admin.connect();
  const metrics: BenchMetric[] = [];
  const topics: string[] = [];
  try {
    for (const compression of ['none', 'snappy'] as const satisfies CompressionName[]) {
      const topic = `bench.kafka.${compression}.${Date.now()}`;
      topics.push(topic);
      await ensureTopics(admin, [{ topic, partitions: PARTITIONS }]);
      const produced = await produce(kafka, topic, total, compression);
      metrics.push(
        {
          metric: `produce msgs/s (${compression}, batch ${BATCH}, acks all)`,
          value: produced,
          unit: 'msg/s',
          target: 'ceiling',
        },
        { metric: `produce MB/s (${compression})`, value: (produced * MESSAGE_BYTES) / 1e6, unit: 'MB/s' },
      );
      const consumed = (await kafkajsConsumeRate(kafka, topic, total, `${topic}.reader`, 120_000)).perSecond;
      metrics.push({
        metric: `consume msgs/s (${compression}, eachBatch, incl. group join)`,
        value: consumed,
        unit: 'msg/s',
        target: 'ceiling',
      });
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  return metrics;
}

async function produce(
  kafka: ReturnType<typeof createKafka>,
  topic: string,
  total: number,
  compression: CompressionName,
) {
  const producer = createReliableProducer(kafka);
  await producer.connect();
  const payload = randomBytes(MESSAGE_BYTES / 2).toString('hex');
  const started = performance.now();
  for (let sent = 0; sent < total; sent += BATCH) {
    const messages = [];
    for (let i = 0; i < BATCH; i++) messages.push({ key: `k${(sent + i) % 1000}`, value: payload });
    await producer.send({ topic, acks: -1, compression: Compression[compression], messages });
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return total / seconds;
}
