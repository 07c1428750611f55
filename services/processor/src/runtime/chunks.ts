import type { Admin, Message } from 'kafkajs';

export type TopicMessages = { topic: string; messages: Message[] };

const RECORD_OVERHEAD_BYTES = 64;

/**
 * Splits what one batch writes into sends in which no topic carries more than `maxBytes`. kafkajs puts
 * all of a partition's messages of one send into one record batch, which the broker refuses above its
 * `message.max.bytes`; a burst of late records or readings can exceed it. Counting per topic bounds
 * every partition's batch whatever the partitioner does, while a send to many topics (one per symbol)
 * stays one request. Several sends in one transaction are still one atomic write.
 */
export function chunkByBytes(topicMessages: readonly TopicMessages[], maxBytes: number): TopicMessages[][] {
  const chunks: Map<string, TopicMessages>[] = [];
  for (const { topic, messages } of topicMessages) {
    let index = 0;
    let bytes = 0;
    for (const m of messages) {
      const size = sizeOf(m);
      if (bytes + size > maxBytes && bytes > 0) {
        index++;
        bytes = 0;
      }
      const chunk = chunks[index] ?? (chunks[index] = new Map());
      let group = chunk.get(topic);
      if (group === undefined) chunk.set(topic, (group = { topic, messages: [] }));
      group.messages.push(m);
      bytes += size;
    }
  }
  return chunks.map((chunk) => [...chunk.values()]);
}

function sizeOf(m: Message): number {
  let size = RECORD_OVERHEAD_BYTES;
  if (m.key) size += m.key.length;
  if (m.value) size += m.value.length;
  for (const [name, value] of Object.entries(m.headers ?? {})) size += name.length + String(value).length;
  return size;
}

/** Half the broker's `message.max.bytes`: what one send may carry (JSON text is mostly one byte a char). */
export async function sendBudgetBytes(admin: Admin): Promise<number> {
  const { brokers } = await admin.describeCluster();
  const broker = brokers[0];
  if (broker === undefined) return 512 * 1024;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 4, name: String(broker.nodeId), configNames: ['message.max.bytes'] }],
  });
  const limit = Number(
    resources[0]?.configEntries.find((c) => c.configName === 'message.max.bytes')?.configValue,
  );
  return Number.isFinite(limit) && limit > 0 ? Math.floor(limit / 2) : 512 * 1024;
}
