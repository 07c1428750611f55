import { createKafka, createReliableProducer, ensureTopics, Compression } from '@tideline/kafka';
import { withEventId } from '@tideline/contracts';
const kafka = createKafka({ clientId: 'prof', brokers: ['127.0.0.1:9092'] });
const admin = kafka.admin();
await admin.connect();
const topic = 'prof1.raw.market.trades';
await ensureTopics(admin, [{ topic, partitions: 3 }]);
const p = createReliableProducer(kafka);
await p.connect();
for (let i = 0; i < 400_000; i += 5000) {
  const messages = [];
  for (let k = i; k < i + 5000; k++) {
    const symbol = `S${k % 50}`;
    messages.push({
      key: symbol,
      value: JSON.stringify(
        withEventId({
          schemaVersion: 1,
          feed: 'market',
          symbol,
          side: 'BUY',
          price: 100 + (k % 1000) / 10,
          quantity: k % 1000,
          eventTimeMs: 1767600000000 + k * 2 - (k % 7) * 40,
          source: 'bench',
        } as const),
      ),
    });
  }
  await p.send({ topic, messages, acks: -1, compression: Compression.snappy });
}
await p.disconnect();
await admin.disconnect();
