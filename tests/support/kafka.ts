import { createKafka, endOffsets } from '@tideline/kafka';

/** End offsets of topics (empty for a topic not created yet), to read only what a test produced. */
export async function offsetsOf(
  brokers: readonly string[],
  topics: string[],
): Promise<Map<string, Map<number, string>>> {
  const admin = createKafka({ clientId: 'test-offsets', brokers }).admin();
  await admin.connect();
  try {
    return await endOffsets(admin, topics);
  } finally {
    await admin.disconnect();
  }
}
