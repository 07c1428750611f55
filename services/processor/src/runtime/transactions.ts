import type { Producer } from 'kafkajs';
import { chunkByBytes, type TopicMessages } from './chunks.ts';

const CONCURRENT_TRANSACTIONS = 'CONCURRENT_TRANSACTIONS';
const MAX_OFFSET_ATTEMPTS = 20;

/**
 * Writes one batch in one transaction: outputs and changelog, then the input offsets through the
 * transaction (TxnOffsetCommit), then commit. A failure aborts. The broker answers
 * CONCURRENT_TRANSACTIONS while it is still completing this producer's previous transaction: the
 * offsets are retried with a short backoff, as the Java client does.
 */
export async function commitTransaction(
  producer: Producer,
  topicMessages: TopicMessages[],
  maxSendBytes: number,
  consumerGroupId: string,
  offsets: { topic: string; partitions: { partition: number; offset: string }[] },
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    for (const chunk of chunkByBytes(topicMessages, maxSendBytes)) {
      await transaction.sendBatch({ topicMessages: chunk, acks: -1 });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await transaction.sendOffsets({ consumerGroupId, topics: [offsets] });
        break;
      } catch (error) {
        if ((error as { type?: string }).type !== CONCURRENT_TRANSACTIONS || attempt >= MAX_OFFSET_ATTEMPTS)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
    await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}
