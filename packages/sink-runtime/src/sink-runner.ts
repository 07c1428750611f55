import { type DeadLetterStage, type TopicKind, topicNamer, type TopicNamer } from '@tideline/contracts';
import { ensureTopics } from '@tideline/kafka';
import type { Registry } from '@tideline/service-kit';
import type { Admin, Batch, Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { backoffDelayMs, sleep } from '@tideline/service-kit';
import { DeadLetterWriter, type DeadLetterInput } from './dead-letters.ts';
import { createSinkMetrics, type SinkMetrics } from './metrics.ts';
import { SinkReason } from './errors.ts';
import { decodeRecord, isUndecodable, type SinkRecord } from './records.ts';
import type { SinkStore, WriteOutcome } from './store.ts';
import { selectTopics } from './topic-selection.ts';

export interface SinkRunnerOptions {
  kafka: Kafka;
  store: SinkStore;
  logger: Logger;
  registry: Registry;
  /** Topic namespace (`topicNamer`); '' for the plain names. */
  namespace: string;
  groupId: string;
  /** The topic kinds to read (processed, alerts, late, dlq), of every output version. */
  kinds: readonly TopicKind[];
  /** The sink's dead-letter stage: `dlq.<stage>` receives what the store rejects. */
  stage: DeadLetterStage;
  /** How often to look for new matching topics (per-symbol topics appear while the sink runs). */
  topicRefreshMs: number;
  retry: { initialMs: number; maxMs: number };
  /** Bytes fetched per partition: bounds a batch, and what is held while the store is away. */
  maxBytesPerPartition?: number;
  /**
   * Partition batches handled at once (kafkajs partitionsConsumedConcurrently): each is written and
   * committed on its own, so per-partition order holds; decoding one overlaps the store writing another.
   */
  concurrentPartitions?: number;
  sessionTimeoutMs?: number;
  dlqPartitions?: number;
  dlqRetentionMs?: number;
  /**
   * Also read the sink's own dead-letter topic (the Elasticsearch sink indexes every dead letter for the
   * pipeline-health view). A record from it that the store refuses again is logged and counted as
   * SINK_ERR_DEAD_LETTER_REFUSED, never dead-lettered a second time (no loop).
   */
  readOwnDeadLetters?: boolean;
}

/** Counters since start, for a metrics document or a benchmark (Prometheus has the same figures). */
export interface SinkStats {
  written: number;
  deadLettered: number;
  expired: number;
  retries: number;
  batches: number;
  /** Sum over partitions of high watermark minus next offset, as of each partition's last batch. */
  lagRecords: number;
  lastBatchMs: number;
  storeAvailable: boolean;
  topics: number;
}

const HEARTBEAT_EVERY_MS = 1000;

/**
 * The runtime both sinks share. Reads the namespace's matching topics (read_committed, so only what
 * the processor's transactions committed) one partition batch at a time; writes the batch to the
 * store, retrying with backoff while the store is down (consuming nothing more meanwhile: memory is
 * bounded by one fetch); sends undecodable and rejected records to `dlq.<stage>`; and only then commits
 * the batch's offsets. At-least-once delivery into an idempotent store: the effect is exactly once.
 *
 * kafkajs resolves a subscription when the consumer starts, so the runner lists topics every
 * `topicRefreshMs` and restarts its consumer when the matching set changes: the old consumer finishes
 * its batch and leaves, the new one resumes from the committed offsets (new topics from their start).
 */
export class SinkRunner {
  readonly #options: SinkRunnerOptions;
  readonly #namer: TopicNamer;
  readonly #metrics: SinkMetrics;
  readonly #log: Logger;
  readonly #dlq: DeadLetterWriter;
  readonly #stop = new AbortController();
  readonly #lag = new Map<string, number>();
  readonly #stats: SinkStats = {
    written: 0,
    deadLettered: 0,
    expired: 0,
    retries: 0,
    batches: 0,
    lagRecords: 0,
    lastBatchMs: 0,
    storeAvailable: true,
    topics: 0,
  };
  #admin: Admin | undefined;
  #consumer: Consumer | undefined;
  #topics: string[] = [];
  #connected = false;
  #crashed = false;
  #supervising: Promise<void> | undefined;

  constructor(options: SinkRunnerOptions) {
    this.#options = options;
    this.#namer = topicNamer(options.namespace);
    this.#metrics = createSinkMetrics(options.registry);
    this.#log = options.logger.child({ component: 'sink-runner', store: options.store.name });
    this.#dlq = new DeadLetterWriter(options.kafka, {
      topic: this.deadLetterTopic,
      stage: options.stage,
      source: `sink:${options.store.name}`,
    });
    this.#metrics.storeAvailable.set({ store: options.store.name }, 1);
  }

  /** `dlq.<stage>` in the runner's namespace. */
  get deadLetterTopic(): string {
    return this.#namer.topicName({ kind: 'dlq', stage: this.#options.stage });
  }

  /** Connects in the background (retrying while Kafka is away) and starts consuming. */
  start(): void {
    this.#supervising ??= this.#supervise();
  }

  /** Connected to Kafka and the store takes writes. */
  get ready(): boolean {
    return this.#connected && this.#stats.storeAvailable;
  }

  get subscribedTopics(): readonly string[] {
    return this.#topics;
  }

  stats(): SinkStats {
    return { ...this.#stats, lagRecords: [...this.#lag.values()].reduce((a, b) => a + b, 0) };
  }

  /**
   * Graceful drain: stops looking for topics, lets the batch in hand finish (written, dead-lettered,
   * committed; a batch waiting for an absent store is left uncommitted and redelivered), then leaves
   * the group and disconnects.
   */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#supervising;
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
    await this.#dlq.disconnect().catch(() => undefined);
    await this.#admin?.disconnect().catch(() => undefined);
  }

  async #supervise(): Promise<void> {
    for (let attempt = 1; !this.#stop.signal.aborted; ) {
      try {
        if (!this.#connected) await this.#connect();
        const existing = await this.#admin!.listTopics();
        const exclude = this.#options.readOwnDeadLetters ? [] : [this.deadLetterTopic];
        const topics = selectTopics(this.#namer, existing, this.#options.kinds, exclude);
        if (this.#stop.signal.aborted) break;
        if (this.#crashed || topics.join('\n') !== this.#topics.join('\n')) {
          const reason = this.#crashed ? 'crash' : 'topics';
          this.#crashed = false;
          await this.#restart(topics, reason);
        }
        attempt = 1;
        await sleep(this.#options.topicRefreshMs, this.#stop.signal);
      } catch (error) {
        if (attempt === 1 || attempt % 20 === 0) {
          this.#log.warn({ err: error, attempt }, 'cannot reach Kafka or start the consumer; retrying');
        }
        await sleep(backoffDelayMs(attempt++, this.#options.retry), this.#stop.signal);
      }
    }
  }

  async #connect(): Promise<void> {
    this.#admin ??= this.#options.kafka.admin();
    await this.#admin.connect();
    await ensureTopics(this.#admin, [
      {
        topic: this.deadLetterTopic,
        partitions: this.#options.dlqPartitions ?? 1,
        retentionMs: this.#options.dlqRetentionMs,
      },
    ]);
    await this.#dlq.connect();
    this.#connected = true;
    this.#log.info({ deadLetterTopic: this.deadLetterTopic }, 'connected to Kafka');
  }

  async #restart(topics: string[], reason: string): Promise<void> {
    const store = this.#options.store.name;
    if (this.#consumer) {
      this.#metrics.restarts.inc({ store, reason });
      // Waits for the batch in hand: it is written and committed before the old member leaves.
      await this.#consumer.disconnect();
      this.#consumer = undefined;
    }
    // Recorded as subscribed only once the new consumer runs: a failed start is retried next round.
    this.#topics = [];
    if (topics.length === 0) {
      this.#setSubscribed(topics);
      return;
    }
    const consumer = this.#options.kafka.consumer({
      groupId: this.#options.groupId,
      // read_committed: only records of committed processor transactions.
      readUncommitted: false,
      maxBytesPerPartition: this.#options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxBytes: Math.max(16 * 1024 * 1024, this.#options.maxBytesPerPartition ?? 0),
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      maxWaitTimeInMs: 250,
    });
    consumer.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts itself after retriable errors; after the others it stays down unless we act.
      if (!event.payload.restart) {
        this.#log.error({ err: event.payload.error }, 'consumer crashed; restarting it');
        this.#crashed = true;
      }
    });
    this.#consumer = consumer;
    try {
      await consumer.connect();
      // New topics (no committed offset for the group) are read from their first record.
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#options.concurrentPartitions ?? 3,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
          if (batch.messages.length === 0 || isStale()) return;
          await this.#handleBatch(consumer, batch, resolveOffset, heartbeat);
        },
      });
    } catch (error) {
      this.#consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.#setSubscribed(topics);
    this.#log.info({ topics: topics.length, reason }, 'consuming');
  }

  #setSubscribed(topics: string[]): void {
    this.#topics = topics;
    this.#stats.topics = topics.length;
    this.#metrics.subscribedTopics.set({ store: this.#options.store.name }, topics.length);
  }

  async #handleBatch(
    consumer: Consumer,
    batch: Batch,
    resolveOffset: (offset: string) => void,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const store = this.#options.store.name;
    const started = performance.now();
    const records: SinkRecord[] = [];
    const letters: DeadLetterInput[] = [];
    for (const message of batch.messages) {
      const decoded = decodeRecord(this.#namer, batch.topic, batch.partition, message);
      if (isUndecodable(decoded)) letters.push(decoded);
      else records.push(decoded);
    }
    const outcome = records.length === 0 ? emptyOutcome : await this.#writeWithRetry(records, heartbeat);
    if (outcome === undefined) return; // closing while the store is away: redelivered on restart
    for (const rejection of outcome.rejected) {
      if (rejection.record.meta.topic === this.deadLetterTopic) {
        this.#metrics.deadLettered.inc({ store, reason: SinkReason.deadLetterRefused });
        this.#log.error(
          {
            code: SinkReason.deadLetterRefused,
            reason: rejection.reason,
            offset: rejection.record.meta.offset,
          },
          'the store refused one of its own dead letters; not dead-lettered again',
        );
        continue;
      }
      letters.push({
        meta: rejection.record.meta,
        code: rejection.code,
        reason: rejection.reason,
        rawPayload: JSON.stringify(rejection.record.value),
      });
    }
    if (letters.length > 0) {
      await this.#dlq.write(letters);
      for (const letter of letters) this.#metrics.deadLettered.inc({ store, reason: letter.code });
      this.#stats.deadLettered += letters.length;
      this.#log.warn(
        { deadLettered: letters.length, first: { code: letters[0]!.code, reason: letters[0]!.reason } },
        'dead-lettered records',
      );
    }
    const last = batch.messages.at(-1)!.offset;
    const next = (BigInt(last) + 1n).toString();
    resolveOffset(last);
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);

    const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next)));
    this.#lag.set(`${batch.topic}:${batch.partition}`, lag);
    this.#metrics.lag.set({ store, topic: batch.topic, partition: String(batch.partition) }, lag);
    this.#metrics.written.inc({ store }, outcome.written);
    if (outcome.expired > 0) this.#metrics.expired.inc({ store }, outcome.expired);
    this.#stats.written += outcome.written;
    this.#stats.expired += outcome.expired;
    this.#stats.batches += 1;
    const seconds = (performance.now() - started) / 1000;
    this.#stats.lastBatchMs = seconds * 1000;
    this.#metrics.batchSeconds.observe({ store }, seconds);
    this.#metrics.batchRecords.observe({ store }, batch.messages.length);
  }

  async #writeWithRetry(
    records: SinkRecord[],
    heartbeat: () => Promise<void>,
  ): Promise<WriteOutcome | undefined> {
    const store = this.#options.store.name;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.#options.store.write(records, { signal: this.#stop.signal, heartbeat });
        if (attempt > 1) this.#log.info({ attempts: attempt }, 'store is back; batch written');
        this.#stats.storeAvailable = true;
        this.#metrics.storeAvailable.set({ store }, 1);
        return outcome;
      } catch (error) {
        if (this.#stop.signal.aborted) return undefined;
        const code = (error as { code?: unknown }).code;
        this.#stats.storeAvailable = false;
        this.#stats.retries += 1;
        this.#metrics.storeAvailable.set({ store }, 0);
        this.#metrics.retries.inc({ store, code: typeof code === 'string' ? code : 'unknown' });
        // Logged once when the outage starts and then every 20th attempt, not per retry.
        if (attempt === 1 || attempt % 20 === 0) {
          this.#log.warn({ err: error, attempt, records: records.length }, 'store write failed; retrying');
        }
        await this.#sleepWithHeartbeats(backoffDelayMs(attempt, this.#options.retry), heartbeat);
        if (this.#stop.signal.aborted) return undefined;
      }
    }
  }

  /** Waits while keeping the group membership: a rebalance meanwhile throws, and the batch is redelivered. */
  async #sleepWithHeartbeats(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!this.#stop.signal.aborted) {
      await heartbeat();
      const left = until - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, HEARTBEAT_EVERY_MS), this.#stop.signal);
    }
  }
}

const emptyOutcome: WriteOutcome = { written: 0, expired: 0, rejected: [] };
