import kafkajs, { type Admin } from 'kafkajs';

const { ConfigResourceTypes } = kafkajs;

/** Kafka's own default of message.max.bytes, used only when the broker does not say. */
const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export interface MessageLimits {
  /** The broker's `message.max.bytes`. */
  brokerMaxMessageBytes: number;
  /** Each topic's effective `max.message.bytes` (its override, or the broker's default). */
  topicMaxMessageBytes: Map<string, number>;
  /** The smallest of them all: no record batch sent to these topics may be larger. */
  maxBatchBytes: number;
}

/**
 * Reads how large a record batch the broker accepts for each topic (describeConfigs), instead of
 * guessing: a batch larger than `max.message.bytes` (after compression) is refused as a whole.
 */
export async function readMessageLimits(admin: Admin, topics: readonly string[]): Promise<MessageLimits> {
  const cluster = await admin.describeCluster();
  const brokerId = cluster.controller ?? cluster.brokers[0]?.nodeId ?? 1;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      { type: ConfigResourceTypes.BROKER, name: String(brokerId), configNames: ['message.max.bytes'] },
      ...topics.map((topic) => ({
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configNames: ['max.message.bytes'],
      })),
    ],
  });
  let brokerMaxMessageBytes = KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
  const topicMaxMessageBytes = new Map<string, number>();
  for (const resource of described.resources) {
    const entry = resource.configEntries.find(
      (e) => e.configName === 'message.max.bytes' || e.configName === 'max.message.bytes',
    );
    const value = Number(entry?.configValue);
    if (!Number.isFinite(value) || value <= 0) continue;
    if (resource.resourceType === ConfigResourceTypes.BROKER) brokerMaxMessageBytes = value;
    else topicMaxMessageBytes.set(resource.resourceName, value);
  }
  const maxBatchBytes = Math.min(brokerMaxMessageBytes, ...topicMaxMessageBytes.values());
  return { brokerMaxMessageBytes, topicMaxMessageBytes, maxBatchBytes };
}
