// How fast a kafkajs consumer merely reads a topic (eachBatch, nothing parsed): the ceiling any kafkajs
// processor of that topic works under. Shared by `pnpm bench kafka` and `pnpm bench peers`.
import type { Kafka } from 'kafkajs';

/**
 * Reads `records` records of `topic` from the beginning in group `groupId` and gives records/s from
 * `run()`: joining the group and the first fetch are included, as every reader pays them. Gives up
 * after `timeoutMs` with what it has read.
 */
export async function kafkajsConsumeRate(
  kafka: Kafka,
  topic: string,
  records: number,
  groupId: string,
  timeoutMs = 300_000,
): Promise<{ records: number; perSecond: number }> {
  const consumer = kafka.consumer({ groupId, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const started = performance.now();
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= records) resolve(performance.now());
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    done,
    new Promise<number>((resolve) => (timer = setTimeout(() => resolve(performance.now()), timeoutMs))),
  ]);
  clearTimeout(timer);
  await consumer.disconnect();
  return { records: seen, perSecond: seen / ((finished - started) / 1000) };
}
