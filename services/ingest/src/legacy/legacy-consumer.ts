import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { readLegacyEnvelope } from '../formats/legacy-envelope.ts';
import type { Rejected } from '../formats/normalized.ts';
import { PayloadError, type RecordSink } from '../formats/record-sink.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { RawPublisher } from '../publish/raw-publisher.ts';

export interface LegacyConsumerOptions {
  kafka: Kafka;
  /** The (namespaced) topics the original producer writes envelopes to, e.g. `monitoring`. */
  topics: readonly string[];
  groupId: string;
  publisher: RawPublisher;
  logger: Logger;
  metrics: IngestMetrics;
}

/**
 * Reads the original geotechnical pipeline's `monitoring` topic as that producer writes it (each
 * `/params/*` envelope, unkeyed) and normalizes each value exactly as the HTTP upload does. A batch's
 * offsets are committed only after its records (and dead letters) are acknowledged by Kafka: at least
 * once, and a redelivery carries the same event ids, which the processor deduplicates.
 */
export class LegacyConsumer {
  readonly #o: LegacyConsumerOptions;
  readonly #consumer: Consumer;

  constructor(options: LegacyConsumerOptions) {
    this.#o = options;
    this.#consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 500 });
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [...this.#o.topics], fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.#batch(payload),
    });
    this.#o.logger.info({ topics: this.#o.topics, groupId: this.#o.groupId }, 'reading legacy topics');
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }

  async #batch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const source = `kafka:${topic}`;
    const session = this.#o.publisher.openSession(source);
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const origin = { topic, partition, offset: message.offset };
      const sink = withOrigin(session, origin);
      const value = message.value ?? Buffer.alloc(0);
      try {
        await readLegacyEnvelope(oneChunk(value), source, sink);
      } catch (error) {
        if (!(error instanceof PayloadError)) throw error;
        sink.reject({
          reasonCode: error.reasonCode,
          reason: error.message,
          rawPayload: value.toString('utf8'),
        });
      }
      last = message.offset;
      this.#o.metrics.legacyMessages.inc({ topic });
      await heartbeat();
    }
    if (last === undefined) return;
    // Produced (and dead-lettered) first, committed after: a crash in between redelivers the batch.
    await session.finish();
    resolveOffset(last);
    await this.#consumer.commitOffsets([{ topic, partition, offset: String(BigInt(last) + 1n) }]);
  }
}

function withOrigin(sink: RecordSink, origin: NonNullable<Rejected['origin']>): RecordSink {
  return {
    add: (draft) => sink.add(draft),
    reject: (rejected) => sink.reject({ ...rejected, origin }),
    get full() {
      return sink.full;
    },
    flush: () => sink.flush(),
  };
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  if (bytes.length > 0) yield bytes;
}
