import { type DeadLetter, type DeadLetterStage, SCHEMA_VERSION } from '@tideline/contracts';
import { createReliableProducer } from '@tideline/kafka';
import type { Kafka, Producer } from 'kafkajs';
import type { RecordMeta } from './records.ts';

export interface DeadLetterInput {
  meta: RecordMeta;
  code: string;
  reason: string;
  rawPayload: string;
}

/**
 * Writes dead letters to the sink's own `dlq.sink-<store>` topic with an idempotent producer (acks
 * from all in-sync replicas). The runtime awaits it before committing the batch's offsets, so a crash
 * in between repeats the dead letter rather than losing it.
 */
export class DeadLetterWriter {
  readonly topic: string;
  readonly #producer: Producer;
  readonly #stage: DeadLetterStage;
  readonly #source: string;

  constructor(kafka: Kafka, options: { topic: string; stage: DeadLetterStage; source: string }) {
    this.topic = options.topic;
    this.#stage = options.stage;
    this.#source = options.source;
    this.#producer = createReliableProducer(kafka);
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }

  async write(letters: readonly DeadLetterInput[]): Promise<void> {
    if (letters.length === 0) return;
    const receivedAtMs = Date.now();
    await this.#producer.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map((letter) => {
        const value: DeadLetter = {
          schemaVersion: SCHEMA_VERSION,
          stage: this.#stage,
          reasonCode: letter.code,
          reason: letter.reason.slice(0, 4096),
          source: this.#source,
          topic: letter.meta.topic,
          partition: letter.meta.partition,
          offset: letter.meta.offset,
          rawPayload: letter.rawPayload,
          receivedAtMs,
        };
        return { key: `${letter.meta.topic}:${letter.meta.partition}`, value: JSON.stringify(value) };
      }),
    });
  }
}
