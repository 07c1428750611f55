import kafkajs, { type Kafka, type Producer } from 'kafkajs';

const { CompressionTypes, Partitioners } = kafkajs;

export const Compression = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
} as const;
export type CompressionName = keyof typeof Compression;

export interface ReliableProducerOptions {
  /** Set for transactional producers (one per input partition in the processor). */
  transactionalId?: string;
  transactionTimeoutMs?: number;
}

/**
 * An idempotent producer: acks from all in-sync replicas (set per send by the caller with acks: -1),
 * retries without duplicates, one request in flight so retries cannot reorder a key's records.
 */
export function createReliableProducer(kafka: Kafka, options: ReliableProducerOptions = {}): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // kafkajs 2's default (Java-compatible murmur2) partitioner, chosen explicitly: the same key lands
    // on the same partition as with Java clients, and kafkajs stops warning about the change.
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(options.transactionalId
      ? {
          transactionalId: options.transactionalId,
          transactionTimeout: options.transactionTimeoutMs ?? 60_000,
        }
      : {}),
    retry: { initialRetryTime: 100, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
  });
}
