import {
  DeadLetterStage,
  SCHEMA_VERSION,
  partitionKeyFor,
  rawTopicFor,
  topicName,
  validateRawEvent,
  withEventId,
  type DeadLetter,
  type RawEvent,
} from '@tideline/contracts';
import { Compression, type CompressionName } from '@tideline/kafka';
import type { Message, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { IngestReason } from '../errors.ts';
import { rawPayloadOf, type Normalized, type Rejected } from '../formats/normalized.ts';
import type { IngestMetrics } from '../metrics.ts';

export interface PublishResult {
  produced: number;
  deadLettered: number;
  /** The newest event time among the produced events, for lag reporting. */
  maxEventTimeMs: number | undefined;
}

export interface RawPublisherOptions {
  producer: Producer;
  compression: CompressionName;
  logger: Logger;
  metrics: IngestMetrics;
  clock?: () => number;
}

const DLQ_TOPIC = topicName({ kind: 'dlq', stage: DeadLetterStage.ingest });

/**
 * Gives drafts their deterministic ids, validates them against the contracts and produces the valid
 * ones to their raw topics, keyed by instrument / symbol / node, with the event time as the Kafka
 * timestamp. Invalid and unreadable records go to `dlq.ingest` in the same produce call, so a batch
 * is either wholly acknowledged or wholly retried: nothing valid is dropped and nothing invalid lost.
 */
export class RawPublisher {
  readonly #options: RawPublisherOptions;
  readonly #clock: () => number;
  /** When the produce call in progress started; undefined when none is. */
  #sendingSinceMs: number | undefined;

  constructor(options: RawPublisherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  async publish(normalized: Normalized, source: string): Promise<PublishResult> {
    const byTopic = new Map<string, Message[]>();
    const deadLetters: Message[] = [];
    const reasons: string[] = [];
    let maxEventTimeMs: number | undefined;
    let produced = 0;
    for (const draft of normalized.drafts) {
      const event = withEventId(draft);
      const checked = validateRawEvent(event);
      if (!checked.ok) {
        const reason = checked.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ');
        deadLetters.push(
          this.#deadLetter(
            { reasonCode: IngestReason.schema, reason, rawPayload: rawPayloadOf(draft) },
            source,
          ),
        );
        reasons.push(IngestReason.schema);
        continue;
      }
      this.#append(byTopic, checked.value);
      produced++;
      if (maxEventTimeMs === undefined || checked.value.eventTimeMs > maxEventTimeMs) {
        maxEventTimeMs = checked.value.eventTimeMs;
      }
    }
    for (const rejected of normalized.rejected) {
      deadLetters.push(this.#deadLetter(rejected, source));
      reasons.push(rejected.reasonCode);
    }
    if (deadLetters.length > 0) byTopic.set(DLQ_TOPIC, deadLetters);
    if (byTopic.size === 0) return { produced: 0, deadLettered: 0, maxEventTimeMs };

    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const { metrics, producer, compression, logger } = this.#options;
    const stopTimer = metrics.produceSeconds.startTimer();
    this.#sendingSinceMs = this.#clock();
    try {
      // kafkajs retries a failed send itself (without end: see createReliableProducer), so while the
      // broker is away this waits, and the page is produced once it is back.
      await producer.sendBatch({ topicMessages, acks: -1, compression: Compression[compression] });
    } catch (error) {
      metrics.produceErrors.inc();
      throw error;
    } finally {
      this.#sendingSinceMs = undefined;
      stopTimer();
    }
    metrics.batchSize.observe(produced + deadLetters.length);
    for (const { topic, messages } of topicMessages) {
      if (topic !== DLQ_TOPIC) metrics.produced.inc({ topic }, messages.length);
    }
    for (const reason of reasons) metrics.deadLettered.inc({ reason });
    // Logged once here, after the dead letter is durable: never per retry.
    if (deadLetters.length > 0) {
      logger.warn(
        { source, deadLettered: deadLetters.length, reasons: countBy(reasons) },
        'records dead-lettered',
      );
    }
    return { produced, deadLettered: deadLetters.length, maxEventTimeMs };
  }

  /** How long the produce call in progress has waited for Kafka (0 when none is in progress). */
  stalledMs(): number {
    return this.#sendingSinceMs === undefined ? 0 : this.#clock() - this.#sendingSinceMs;
  }

  #append(byTopic: Map<string, Message[]>, event: RawEvent): void {
    const topic = rawTopicFor(event);
    let messages = byTopic.get(topic);
    if (!messages) {
      messages = [];
      byTopic.set(topic, messages);
    }
    messages.push({
      key: partitionKeyFor(event),
      value: JSON.stringify(event),
      timestamp: String(event.eventTimeMs),
      // No headers: the schema version is in the value, and a header costs kafkajs ~20% of its
      // per-record encoding time (measured with pnpm bench ingest).
    });
  }

  #deadLetter(rejected: Rejected, source: string): Message {
    const record: DeadLetter = {
      schemaVersion: SCHEMA_VERSION,
      stage: DeadLetterStage.ingest,
      reasonCode: rejected.reasonCode,
      reason: rejected.reason.slice(0, 4096),
      source,
      rawPayload: rejected.rawPayload,
      receivedAtMs: this.#clock(),
    };
    return { key: source, value: JSON.stringify(record), headers: { 'reason-code': rejected.reasonCode } };
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
