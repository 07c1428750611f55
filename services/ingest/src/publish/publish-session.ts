import {
  SCHEMA_VERSION,
  DeadLetterStage,
  partitionKeyFor,
  validateRawEvent,
  withEventId,
  type DeadLetter,
  type RawEvent,
  type RawEventDraft,
  type TopicNamer,
} from '@tideline/contracts';
import type { Message, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { IngestReason } from '../errors.ts';
import { rawPayloadOf, type Rejected } from '../formats/normalized.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { EventTimeRange, PartitionOf, PublishResult } from './raw-publisher.ts';

/** A dead letter keeps at most this much of its payload, so that it always fits a batch. */
export const DEAD_LETTER_PAYLOAD_CHARS = 64 * 1024;
/** Per-record overhead in a record batch (length, attributes, deltas, header count), rounded up. */
const RECORD_OVERHEAD_BYTES = 32;
/** One request carries at most this many batch budgets (all its partitions together). */
const BUDGETS_PER_REQUEST = 4;

export interface SealedBatch {
  topicMessages: TopicMessages[];
  records: number;
  produced: Map<string, number>;
  deadLettered: Map<string, number>;
  maxEventTimeMs: number | undefined;
}

export interface SessionOptions {
  source: string;
  topics: TopicNamer;
  dlqTopic: string;
  budgetBytes: number;
  /** The partition of a keyed record, when the topic's partition count is known. */
  partitionOf?: PartitionOf;
  eventTimeRange: EventTimeRange;
  clock: () => number;
  send: (batch: SealedBatch) => Promise<void>;
  logger: Logger;
  metrics: IngestMetrics;
}

interface PartitionBuffer {
  topic: string;
  messages: Message[];
  bytes: number;
}

/**
 * One payload's way to Kafka. `add` and `reject` buffer records per topic; a topic whose buffer would
 * pass the batch budget seals the batch, and `flush` sends the sealed batches in order, one at a time,
 * keeping the last one in flight so that reading the payload and Kafka's acknowledgement overlap.
 * Counts only grow when Kafka has acknowledged: an error part-way reports how far it got.
 */
export class PublishSession {
  readonly #o: SessionOptions;
  /** Per topic and partition (or per topic when the partition is left to the producer). */
  #current = new Map<string, PartitionBuffer>();
  #currentRecords = 0;
  #currentBytes = 0;
  #currentProduced = new Map<string, number>();
  #currentDead = new Map<string, number>();
  #currentMaxTime: number | undefined;
  readonly #sealed: SealedBatch[] = [];
  #inFlight: Promise<void> | undefined;
  #failure: unknown;
  #maxEventTimeMs: number;
  readonly acked = { produced: 0, deadLettered: 0 };
  #ackedMaxTime: number | undefined;
  readonly #ackedReasons = new Map<string, number>();
  readonly #topicCache = new Map<string, string>();

  constructor(options: SessionOptions) {
    this.#o = options;
    this.#maxEventTimeMs = options.clock() + options.eventTimeRange.maxAheadMs;
  }

  /** True when sealed batches wait: the reader should `await flush()` before reading on. */
  get full(): boolean {
    return this.#sealed.length > 0;
  }

  add(draft: RawEventDraft): void {
    const time = draft.eventTimeMs;
    if (typeof time === 'number' && (time < this.#o.eventTimeRange.minMs || time > this.#maxEventTimeMs)) {
      this.reject({
        reasonCode: IngestReason.eventTimeOutOfRange,
        reason: `eventTimeMs ${time} (${isoOrNaN(time)}) is outside the plausible range ${new Date(this.#o.eventTimeRange.minMs).toISOString()} .. now + ${this.#o.eventTimeRange.maxAheadMs} ms (seconds instead of milliseconds?)`,
        rawPayload: rawPayloadOf(draft),
      });
      return;
    }
    const event = withEventId(draft);
    const checked = validateRawEvent(event);
    if (!checked.ok) {
      const reason = checked.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ');
      this.reject({ reasonCode: IngestReason.schema, reason, rawPayload: rawPayloadOf(draft) });
      return;
    }
    const valid = checked.value;
    const topic = this.#topicFor(valid);
    const key = partitionKeyFor(valid);
    const value = Buffer.from(JSON.stringify(valid));
    const bytes = value.length + Buffer.byteLength(key) + RECORD_OVERHEAD_BYTES;
    const partition = this.#o.partitionOf?.(topic, key);
    this.#append(topic, partition, bytes, {
      key,
      value,
      partition,
      timestamp: String(valid.eventTimeMs),
      // No headers: the schema version is in the value, and a header costs kafkajs ~20% of its
      // per-record encoding time (measured with pnpm bench ingest).
    });
    this.#currentProduced.set(topic, (this.#currentProduced.get(topic) ?? 0) + 1);
    if (this.#currentMaxTime === undefined || valid.eventTimeMs > this.#currentMaxTime) {
      this.#currentMaxTime = valid.eventTimeMs;
    }
  }

  /** Raw topic names, cached per feed and instrument type: naming one checks it, and this runs per record. */
  #topicFor(event: RawEvent): string {
    const slot = event.feed === 'geotech' ? `geotech.${event.instrumentType}` : event.feed;
    let topic = this.#topicCache.get(slot);
    if (topic === undefined) {
      topic = this.#o.topics.rawTopicFor(event);
      this.#topicCache.set(slot, topic);
    }
    return topic;
  }

  reject(rejected: Rejected): void {
    let payload = rejected.rawPayload;
    let reason = rejected.reason;
    if (payload.length > DEAD_LETTER_PAYLOAD_CHARS) {
      reason = `${reason} [rawPayload truncated to its first ${DEAD_LETTER_PAYLOAD_CHARS} of ${payload.length} characters]`;
      payload = payload.slice(0, DEAD_LETTER_PAYLOAD_CHARS);
    }
    const record: DeadLetter = {
      schemaVersion: SCHEMA_VERSION,
      stage: DeadLetterStage.ingest,
      reasonCode: rejected.reasonCode,
      reason: reason.slice(0, 4096),
      source: this.#o.source,
      ...rejected.origin,
      rawPayload: payload,
      receivedAtMs: this.#o.clock(),
    };
    const value = Buffer.from(JSON.stringify(record));
    const key = this.#o.source;
    this.#append(this.#o.dlqTopic, undefined, value.length + Buffer.byteLength(key) + 64, {
      key,
      value,
      headers: { 'reason-code': rejected.reasonCode },
    });
    this.#currentDead.set(rejected.reasonCode, (this.#currentDead.get(rejected.reasonCode) ?? 0) + 1);
  }

  /** Sends the sealed batches; returns with the last one still in flight. Throws a failed send's error. */
  async flush(): Promise<void> {
    while (this.#sealed.length > 0) {
      await this.#settle();
      const batch = this.#sealed.shift() as SealedBatch;
      this.#inFlight = this.#o.send(batch).then(
        () => this.#acknowledge(batch),
        (error: unknown) => {
          this.#failure = error;
        },
      );
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Sends what is left and waits for every acknowledgement. */
  async finish(): Promise<PublishResult> {
    this.#seal();
    await this.flush();
    await this.#settle();
    if (this.#ackedReasons.size > 0) {
      // Logged once per payload, after the dead letters are durable: never per retry.
      this.#o.logger.warn(
        {
          source: this.#o.source,
          deadLettered: this.acked.deadLettered,
          reasons: Object.fromEntries(this.#ackedReasons),
        },
        'records dead-lettered',
      );
    }
    return { ...this.acked, maxEventTimeMs: this.#ackedMaxTime };
  }

  /** Waits for the send in flight, if any (errors are rethrown). */
  async #settle(): Promise<void> {
    await this.#inFlight;
    this.#inFlight = undefined;
    if (this.#failure !== undefined) throw this.#failure;
  }

  #append(topic: string, partition: number | undefined, bytes: number, message: Message): void {
    const slot = partition === undefined ? topic : `${topic}\u0000${partition}`;
    let buffer = this.#current.get(slot);
    const overBudget = buffer !== undefined && buffer.bytes + bytes > this.#o.budgetBytes;
    const overRequest = this.#currentBytes + bytes > this.#o.budgetBytes * BUDGETS_PER_REQUEST;
    if ((overBudget || overRequest) && this.#currentRecords > 0) {
      this.#seal();
      buffer = undefined;
    }
    if (!buffer) {
      buffer = { topic, messages: [], bytes: 0 };
      this.#current.set(slot, buffer);
    }
    buffer.messages.push(message);
    buffer.bytes += bytes;
    this.#currentBytes += bytes;
    this.#currentRecords++;
  }

  #seal(): void {
    if (this.#currentRecords === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const { topic, messages } of this.#current.values()) {
      const list = byTopic.get(topic);
      if (list) for (const m of messages) list.push(m);
      else byTopic.set(topic, messages);
    }
    this.#sealed.push({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      records: this.#currentRecords,
      produced: this.#currentProduced,
      deadLettered: this.#currentDead,
      maxEventTimeMs: this.#currentMaxTime,
    });
    this.#current = new Map();
    this.#currentRecords = 0;
    this.#currentBytes = 0;
    this.#currentProduced = new Map();
    this.#currentDead = new Map();
    this.#currentMaxTime = undefined;
    this.#maxEventTimeMs = this.#o.clock() + this.#o.eventTimeRange.maxAheadMs;
  }

  #acknowledge(batch: SealedBatch): void {
    const { metrics } = this.#o;
    for (const [topic, count] of batch.produced) {
      this.acked.produced += count;
      metrics.produced.inc({ topic }, count);
    }
    for (const [reason, count] of batch.deadLettered) {
      this.acked.deadLettered += count;
      metrics.deadLettered.inc({ reason }, count);
      this.#ackedReasons.set(reason, (this.#ackedReasons.get(reason) ?? 0) + count);
    }
    if (
      batch.maxEventTimeMs !== undefined &&
      (this.#ackedMaxTime === undefined || batch.maxEventTimeMs > this.#ackedMaxTime)
    ) {
      this.#ackedMaxTime = batch.maxEventTimeMs;
    }
  }
}

function isoOrNaN(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : 'not a date';
}
