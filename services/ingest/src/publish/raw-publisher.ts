import { DeadLetterStage, type TopicNamer } from '@tideline/contracts';
import { Compression, type CompressionName } from '@tideline/kafka';
import kafkajs, { type PartitionMetadata, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Normalized } from '../formats/normalized.ts';
import type { IngestMetrics } from '../metrics.ts';
import { PublishSession, type SealedBatch } from './publish-session.ts';

export interface PublishResult {
  produced: number;
  deadLettered: number;
  /** The newest event time among the produced events, for lag reporting. */
  maxEventTimeMs: number | undefined;
}

/** Which event times are plausible: anything else is dead-lettered, never stored (e.g. as 1970). */
export interface EventTimeRange {
  minMs: number;
  maxAheadMs: number;
}

export interface RawPublisherOptions {
  producer: Producer;
  compression: CompressionName;
  logger: Logger;
  metrics: IngestMetrics;
  topics: TopicNamer;
  eventTimeRange: EventTimeRange;
  clock?: () => number;
}

/**
 * Kafka refuses a record batch larger than the topic's `max.message.bytes`. Batches are sized on
 * uncompressed bytes (compression only shrinks JSON), with room left for the batch and record headers.
 */
const BATCH_FILL = 0.9;
/** Until the broker's limits are read: Kafka's default message.max.bytes. */
const DEFAULT_MAX_BATCH_BYTES = 1_048_588;

/** How many keys' partitions are remembered per topic. */
const PARTITION_CACHE_KEYS = 10_000;

/** Picks a keyed record's partition as the producer would (Java-compatible murmur2). */
export type PartitionOf = (topic: string, key: string) => number | undefined;

/**
 * Produces raw events and dead letters. Each payload (a polled page, an upload, a legacy message)
 * opens a session that gives drafts their deterministic ids, validates them against the contracts
 * and the plausible event-time range, and sends them in batches that fit the broker's limits.
 */
export class RawPublisher {
  readonly #options: RawPublisherOptions;
  readonly #clock: () => number;
  readonly #sending = new Map<number, number>();
  #nextSendId = 0;
  #batchBudgetBytes = Math.floor(DEFAULT_MAX_BATCH_BYTES * BATCH_FILL);
  readonly #partitionMetadata = new Map<string, PartitionMetadata[]>();
  readonly #partitioner = kafkajs.Partitioners.DefaultPartitioner();
  /** Per topic, the partition of each key seen lately (forgotten when the partition counts are read again). */
  readonly #partitionCache = new Map<string, Map<string, number>>();
  readonly dlqTopic: string;

  constructor(options: RawPublisherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.dlqTopic = options.topics.topicName({ kind: 'dlq', stage: DeadLetterStage.ingest });
  }

  /** Sizes batches for the smallest `max.message.bytes` among the topics written (read from the broker). */
  setMaxBatchBytes(maxBatchBytes: number): void {
    this.#batchBudgetBytes = Math.floor(maxBatchBytes * BATCH_FILL);
  }

  get batchBudgetBytes(): number {
    return this.#batchBudgetBytes;
  }

  /**
   * The partition counts of the topics written (from the broker's metadata). With them, a record's
   * partition is chosen here, as the producer would, so that the byte budget applies per partition
   * (the broker's limit is per partition's record batch) and one request carries every partition.
   */
  setPartitionCounts(counts: ReadonlyMap<string, number>): void {
    for (const [topic, count] of counts) {
      this.#partitionCache.delete(topic);
      this.#partitionMetadata.set(
        topic,
        Array.from({ length: count }, (_, partitionId) => ({
          partitionId,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        })),
      );
    }
  }

  readonly #partitionOf: PartitionOf = (topic, key) => {
    const partitionMetadata = this.#partitionMetadata.get(topic);
    if (!partitionMetadata) return undefined;
    // kafkajs's murmur2 runs on its Long type (several allocations per byte): a record's partition
    // cost ~4% of ingest's CPU in an upload's profile. Keys repeat (symbols, instruments, nodes), so
    // the answer is remembered; a payload of mostly distinct keys only empties the cache now and then.
    let byKey = this.#partitionCache.get(topic);
    if (byKey === undefined || byKey.size >= PARTITION_CACHE_KEYS) {
      byKey = new Map();
      this.#partitionCache.set(topic, byKey);
    }
    let partition = byKey.get(key);
    if (partition === undefined) {
      partition = this.#partitioner({ topic, partitionMetadata, message: { key, value: null } });
      byKey.set(key, partition);
    }
    return partition;
  };

  openSession(source: string): PublishSession {
    return new PublishSession({
      source,
      topics: this.#options.topics,
      dlqTopic: this.dlqTopic,
      budgetBytes: this.#batchBudgetBytes,
      partitionOf: this.#partitionOf,
      eventTimeRange: this.#options.eventTimeRange,
      clock: this.#clock,
      send: (batch) => this.#send(batch),
      logger: this.#options.logger,
      metrics: this.#options.metrics,
    });
  }

  /** Publishes a payload read whole (a polled page): all of it is acknowledged, or it throws. */
  async publish(normalized: Normalized, source: string): Promise<PublishResult> {
    const session = this.openSession(source);
    for (const draft of normalized.drafts) session.add(draft);
    for (const rejected of normalized.rejected) session.reject(rejected);
    return session.finish();
  }

  /** How long the oldest produce call in progress has waited for Kafka (0 when none is in progress). */
  stalledMs(): number {
    let oldest: number | undefined;
    for (const started of this.#sending.values())
      if (oldest === undefined || started < oldest) oldest = started;
    return oldest === undefined ? 0 : this.#clock() - oldest;
  }

  async #send(batch: SealedBatch): Promise<void> {
    const { metrics, producer, compression } = this.#options;
    const id = this.#nextSendId++;
    const stopTimer = metrics.produceSeconds.startTimer();
    this.#sending.set(id, this.#clock());
    try {
      // kafkajs retries a failed send itself (without end: see createReliableProducer), so while the
      // broker is away this waits, and the batch is produced once it is back.
      await producer.sendBatch({
        topicMessages: batch.topicMessages,
        acks: -1,
        compression: Compression[compression],
      });
    } catch (error) {
      metrics.produceErrors.inc();
      throw error;
    } finally {
      this.#sending.delete(id);
      stopTimer();
    }
    metrics.batchSize.observe(batch.records);
  }
}
