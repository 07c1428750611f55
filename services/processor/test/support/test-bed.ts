import { randomBytes } from 'node:crypto';
import { stateKeys, topicNamer, type TopicNamer, type WindowAggregate } from '@tideline/contracts';
import {
  createKafka,
  createReliableProducer,
  deleteByPrefix,
  ensureTopics,
  readToEnd,
} from '@tideline/kafka';
import { Redis } from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import { killAllProcessors } from './processor-process.ts';
import type { RawRecord } from './trades.ts';

export const KAFKA_BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface OutputRow {
  readonly topic: string;
  readonly partition: number;
  readonly kind: string | undefined;
  readonly value: unknown;
}

/**
 * A test's own corner of the real Kafka and Redis: a namespace unique to the run (topics, consumer
 * groups and Redis keys all start with it), removed again by `cleanup`.
 */
export class TestBed {
  readonly namespace = `t-${randomBytes(4).toString('hex')}`;
  readonly namer: TopicNamer = topicNamer(this.namespace);
  readonly kafka: Kafka = createKafka({ clientId: 'processor-test', brokers: KAFKA_BROKERS.split(',') });
  readonly redis = new Redis(REDIS_URL, { lazyConnect: true });
  private admin: Admin | undefined;

  async connect(): Promise<Admin> {
    if (this.admin === undefined) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  rawMarketTopic(): string {
    return this.namer.topicName({ kind: 'raw', feed: 'market' });
  }

  /** Writes records to their partitions of a raw topic (created with `partitions` when missing). */
  async produce(topic: string, records: readonly RawRecord[], partitions = 3): Promise<void> {
    const admin = await this.connect();
    await ensureTopics(admin, [{ topic, partitions }]);
    const producer = createReliableProducer(this.kafka);
    await producer.connect();
    try {
      for (let i = 0; i < records.length; i += 2000) {
        const messages = records
          .slice(i, i + 2000)
          .map((r) => ({ key: r.key, value: r.text, partition: r.partition }));
        await producer.send({ topic, messages, acks: -1 });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Every committed record of the namespace's topics matching `filter`, with its kind header. */
  async readOutputs(filter: (topic: string) => boolean): Promise<OutputRow[]> {
    const admin = await this.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${this.namespace}.`) && filter(t));
    const rows: OutputRow[] = [];
    for (const topic of topics.sort()) {
      await readToEnd(this.kafka, {
        topic,
        groupPrefix: this.namespace,
        onMessage: (partition, m) =>
          rows.push({
            topic,
            partition,
            kind: m.headers?.['tl-kind']?.toString(),
            value: m.value === null ? null : JSON.parse(m.value.toString()),
          }),
      });
    }
    return rows;
  }

  /** Window results of one window job, from the processed topics. */
  async windowResults(job: string): Promise<WindowAggregate[]> {
    const rows = await this.readOutputs((t) => t.includes('.processed.'));
    return rows
      .filter((r) => r.kind === 'window' && (r.value as WindowAggregate).job === job)
      .map((r) => r.value as WindowAggregate);
  }

  /** Waits until the group's committed offsets reach the end of every partition of `topic`. */
  async waitCaughtUp(groupId: string, topic: string, timeoutMs = 120_000): Promise<void> {
    const admin = await this.connect();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = ends.filter((e) => {
        const c = committed?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
        return BigInt(e.high) > 0n && BigInt(c) < BigInt(e.high);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`group ${groupId} still behind on ${topic} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Deletes every topic, consumer group and Redis key of the namespace. */
  async cleanup(): Promise<void> {
    // A group with a live member cannot be deleted: stop the test's processors first.
    await killAllProcessors();
    await this.admin?.disconnect();
    this.admin = undefined;
    await deleteByPrefix(this.kafka, {
      topicPrefix: `${this.namespace}.`,
      groupPrefixes: [`${this.namespace}.`],
    });
    if (this.redis.status === 'wait') await this.redis.connect();
    const prefix = stateKeys(this.namespace)
      .jobs('')
      .replace(/jobs:$/, '');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    this.redis.disconnect();
  }
}
