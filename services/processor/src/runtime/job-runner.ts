import type { Admin, Consumer, EachBatchPayload, Kafka, Message, Producer } from 'kafkajs';
import { createReliableProducer, ensureTopics } from '@tideline/kafka';
import type { Logger } from 'pino';
import type { CompiledJob } from '../jobs/compile-job.ts';
import { JobTask, type BatchResult, type LatestUpdate, type OutputRecord } from '../jobs/job-task.ts';
import type { ProcessorMetrics } from '../metrics.ts';
import { changelogMessages, readChangelog, taskKey } from './changelog.ts';
import { chunkByBytes, sendBudgetBytes } from './chunks.ts';
import { commitTransaction } from './transactions.ts';

const RAW_RETENTION_MS = 30 * 24 * 3600 * 1000;

export const Guarantee = { exactlyOnce: 'exactly-once', atLeastOnce: 'at-least-once' } as const;
export type Guarantee = (typeof Guarantee)[keyof typeof Guarantee];

export interface JobRunnerOptions {
  readonly job: CompiledJob;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly guarantee: Guarantee;
  /** Consumer group of the job; also the prefix of its transactional ids. */
  readonly groupId: string;
  /**
   * The compacted changelog of the job's state. It belongs to the consumer group, as a Kafka Streams
   * application's changelogs belong to its application id: another group over the same inputs starts
   * from its own offsets and must not restore this group's state.
   */
  readonly changelogTopic: string;
  readonly logger: Logger;
  readonly metrics: ProcessorMetrics;
  /** Partitions of the output topics the processor creates (per-symbol topics appear on demand). */
  readonly outputPartitions: number;
  /** Input partitions processed at once (each has its own transaction). */
  readonly concurrency: number;
  readonly maxBytesPerPartition: number;
  /** Changed state entries that end a transaction early (the rest of the batch goes in the next). */
  readonly maxChangesPerTransaction: number;
  readonly sessionTimeoutMs: number;
  /** Receives the latest values of each committed batch (the queryable state). */
  readonly onCommitted?: (job: CompiledJob, updates: readonly LatestUpdate[]) => void;
  /** The consumer gave up (kafkajs crashed without restarting): the process should restart. */
  readonly onFatal: (error: unknown) => void;
}

interface Slot {
  readonly topic: string;
  readonly partition: number;
  /** Resolves once the producer is fenced and the state restored; rejects when that failed. */
  ready: Promise<void>;
  task?: JobTask;
  producer?: Producer;
  /** The next offset to process: the group's committed offset after a restore, then each batch's end. */
  nextOffset?: bigint;
  closed: boolean;
}

/**
 * Runs one job: consumes its raw topics in a consumer group and drives one task per input partition.
 * Exactly-once: each batch's outputs, changed state (changelog) and next input offset are written in
 * one Kafka transaction by the partition's own transactional producer (`<group>.<topic>.<partition>`;
 * kafkajs has no KIP-447, so fencing is per input partition: a new owner's producer fences the old
 * one's). A task is rebuilt from the changelog when assigned and after any failed write, and resumes
 * from the group's committed offset, so state and offsets never disagree. At-least-once: an idempotent
 * producer, outputs then offsets, no transaction.
 */
export class JobRunner {
  private readonly o: JobRunnerOptions;
  private readonly consumer: Consumer;
  private readonly slots = new Map<string, Slot>();
  private readonly knownTopics = new Set<string>();
  private maxSendBytes = 512 * 1024;
  private joined = false;
  private stopping = false;

  constructor(options: JobRunnerOptions) {
    this.o = options;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      readUncommitted: false,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxWaitTimeInMs: 100,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.floor(options.sessionTimeoutMs / 5),
      rebalanceTimeout: 60_000,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 20 },
    });
  }

  get ready(): boolean {
    return this.joined && !this.stopping;
  }

  get taskCount(): number {
    return this.slots.size;
  }

  async start(): Promise<void> {
    const { job, admin, logger } = this.o;
    await this.ensureJobTopics();
    this.maxSendBytes = await sendBudgetBytes(admin);
    for (const topic of await admin.listTopics()) this.knownTopics.add(topic);
    const { GROUP_JOIN, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.onAssignment(payload.memberAssignment);
    });
    this.consumer.on(CRASH, ({ payload }) => {
      if (payload.restart || this.stopping) return;
      logger.error({ err: payload.error, job: job.id }, 'consumer crashed and will not restart');
      this.o.onFatal(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...job.inputTopics], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.concurrency,
      eachBatch: (payload) => this.onBatch(payload),
    });
    logger.info(
      { job: job.id, group: this.o.groupId, inputs: job.inputTopics, guarantee: this.o.guarantee },
      'job started',
    );
  }

  /** Stops after the batches in hand are committed, then closes every producer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await Promise.all([...this.slots.values()].map((slot) => this.closeSlot(slot)));
    this.slots.clear();
  }

  private async ensureJobTopics(): Promise<void> {
    const { job, admin, outputPartitions } = this.o;
    const inputs = await admin.fetchTopicMetadata({ topics: [...job.inputTopics] }).catch(() => undefined);
    const maxPartitions = Math.max(
      outputPartitions,
      ...(inputs?.topics.map((t) => t.partitions.length) ?? []),
    );
    await ensureTopics(admin, [
      // Raw topics are ingest's; created here only when the processor starts first, with the same retention.
      ...job.inputTopics.map((topic) => ({
        topic,
        partitions: outputPartitions,
        retentionMs: RAW_RETENTION_MS,
      })),
      // One changelog partition per input partition number; compaction keeps the latest per key.
      { topic: this.o.changelogTopic, partitions: maxPartitions, cleanupPolicy: 'compact' as const },
      { topic: job.lateTopic, partitions: outputPartitions },
      { topic: job.deadLetterTopic, partitions: outputPartitions },
      { topic: job.alertsTopic, partitions: outputPartitions },
    ]);
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    const assigned = new Set<string>();
    const fresh: Slot[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const key = taskKey(topic, partition);
        assigned.add(key);
        if (!this.slots.has(key)) fresh.push(this.newSlot(topic, partition));
      }
    }
    for (const [key, slot] of this.slots) {
      if (assigned.has(key)) continue;
      this.slots.delete(key);
      void this.closeSlot(slot);
    }
    if (fresh.length > 0) this.prepare(fresh);
  }

  private newSlot(topic: string, partition: number): Slot {
    const slot: Slot = { topic, partition, ready: Promise.resolve(), closed: false };
    this.slots.set(taskKey(topic, partition), slot);
    return slot;
  }

  /** Fences the slots' producers, restores their tasks in one pass over the changelog, reads their offsets. */
  private prepare(slots: Slot[]): void {
    const { job, kafka, admin, metrics, logger, groupId } = this.o;
    const ready = (async () => {
      const started = performance.now();
      // A producer per input partition in both guarantees: with one request in flight per producer
      // (ordering under retries), a shared one would serialise the partitions' writes.
      const exactlyOnce = this.o.guarantee === Guarantee.exactlyOnce;
      await Promise.all(
        slots.map(async (slot) => {
          const producer = createReliableProducer(
            kafka,
            exactlyOnce ? { transactionalId: `${groupId}.${slot.topic}.${slot.partition}` } : {},
          );
          slot.producer = producer;
          await producer.connect();
        }),
      );
      const restored = await readChangelog({
        kafka,
        changelogTopic: this.o.changelogTopic,
        targets: slots,
        groupPrefix: groupId,
      });
      const committed = await committedOffsets(admin, groupId, slots);
      for (const slot of slots) {
        const task = new JobTask(job, slot.topic, slot.partition);
        task.restore(restored.get(taskKey(slot.topic, slot.partition)) ?? []);
        slot.task = task;
        slot.nextOffset = committed.get(taskKey(slot.topic, slot.partition));
      }
      const seconds = (performance.now() - started) / 1000;
      metrics.restoreSeconds.observe({ job: job.id }, seconds);
      logger.info(
        { job: job.id, tasks: slots.map((s) => taskKey(s.topic, s.partition)), seconds },
        'tasks restored',
      );
    })();
    for (const slot of slots) slot.ready = ready;
    ready.catch((error: unknown) => {
      logger.warn({ err: error, job: job.id }, 'restoring tasks failed; retrying on the next batch');
      for (const slot of slots) this.dropSlot(slot);
    });
  }

  private async onBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { job, metrics, logger } = this.o;
    const key = taskKey(batch.topic, batch.partition);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.newSlot(batch.topic, batch.partition);
      this.prepare([slot]);
    }
    try {
      await slot.ready;
    } catch {
      await sleep(500);
      return; // not resolved: kafkajs fetches the batch again, and the slot is prepared anew
    }
    const task = slot.task;
    if (task === undefined) return;
    // After a restore, resume exactly at the committed offset; anything before it is already reflected.
    const next = slot.nextOffset;
    let records =
      next === undefined ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= next);
    const batchEnd = BigInt(batch.lastOffset()) + 1n;
    if (records.length === 0 && next !== undefined && batchEnd <= next) {
      resolveOffset(batch.lastOffset());
      return;
    }
    // One transaction per batch, or several when the batch changes more state than one should carry.
    do {
      if (slot.closed || !isRunning() || isStale()) return;
      const result = task.processBatch(records, this.o.maxChangesPerTransaction);
      const rest = records.slice(result.consumed);
      const end = rest.length === 0 ? batchEnd : BigInt(rest[0]?.offset as string);
      const changes = changelogMessages(batch.topic, batch.partition, task.takeChanges());
      const started = performance.now();
      try {
        await this.ensureOutputTopics(result.records);
        await this.write(slot, result, changes, end);
      } catch (error) {
        metrics.transactionFailures.inc({ job: job.id });
        logger.warn(
          { err: error, job: job.id, topic: batch.topic, partition: batch.partition },
          'batch write failed; rebuilding the task',
        );
        this.dropSlot(slot);
        await sleep(500);
        return;
      }
      metrics.transactionSeconds.observe({ job: job.id }, (performance.now() - started) / 1000);
      slot.nextOffset = end;
      resolveOffset((end - 1n).toString());
      this.record(task, batch.topic, batch.partition, result, BigInt(batch.highWatermark) - end);
      this.o.onCommitted?.(job, result.latest);
      await heartbeat();
      records = rest;
    } while (records.length > 0);
  }

  /** Writes a batch's outputs and changed state, and commits `nextOffset` as the input's position. */
  private async write(
    slot: Slot,
    result: BatchResult,
    changes: Message[],
    nextOffset: bigint,
  ): Promise<void> {
    const { groupId, changelogTopic } = this.o;
    const topicMessages = groupByTopic(result.records);
    if (changes.length > 0) topicMessages.push({ topic: changelogTopic, messages: changes });
    const offsets = {
      topic: slot.topic,
      partitions: [{ partition: slot.partition, offset: nextOffset.toString() }],
    };
    if (this.o.guarantee === Guarantee.exactlyOnce) {
      await commitTransaction(slot.producer as Producer, topicMessages, this.maxSendBytes, groupId, offsets);
      return;
    }
    const producer = slot.producer as Producer;
    for (const chunk of chunkByBytes(topicMessages, this.maxSendBytes)) {
      await producer.sendBatch({ topicMessages: chunk, acks: -1 });
    }
    await this.consumer.commitOffsets([
      { topic: slot.topic, partition: slot.partition, offset: nextOffset.toString() },
    ]);
  }

  private async ensureOutputTopics(records: readonly OutputRecord[]): Promise<void> {
    let missing: string[] | undefined;
    for (const r of records) {
      if (this.knownTopics.has(r.topic)) continue;
      (missing ??= []).push(r.topic);
      this.knownTopics.add(r.topic);
    }
    if (missing === undefined) return;
    try {
      const unique = [...new Set(missing)];
      await ensureTopics(
        this.o.admin,
        unique.map((topic) => ({ topic, partitions: this.o.outputPartitions })),
      );
    } catch (error) {
      for (const t of missing) this.knownTopics.delete(t);
      throw error;
    }
  }

  private record(task: JobTask, topic: string, partition: number, result: BatchResult, lag: bigint): void {
    const { metrics } = this.o;
    const job = this.o.job.id;
    const s = result.stats;
    const labels = { job, topic, partition: String(partition) };
    metrics.recordsIn.inc({ job }, s.recordsIn);
    if (s.readings > 0) metrics.recordsOut.inc({ job, kind: 'reading' }, s.readings);
    if (s.windowResults > 0) metrics.recordsOut.inc({ job, kind: 'window' }, s.windowResults);
    if (s.alerts > 0) metrics.recordsOut.inc({ job, kind: 'alert' }, s.alerts);
    if (s.late > 0) {
      metrics.recordsOut.inc({ job, kind: 'late' }, s.late);
      metrics.late.inc({ job }, s.late);
    }
    if (s.duplicates > 0) metrics.duplicates.inc({ job }, s.duplicates);
    for (const [reason, n] of Object.entries(s.deadLettered)) {
      metrics.deadLettered.inc({ job, reason }, n);
      metrics.recordsOut.inc({ job, kind: 'dead_letter' }, n);
    }
    if (Number.isFinite(task.watermarkMs))
      metrics.watermarkDelay.set(labels, (Date.now() - task.watermarkMs) / 1000);
    metrics.openWindows.set(labels, task.openWindows);
    metrics.consumerLag.set(labels, Number(lag < 0n ? 0n : lag));
  }

  /** Forgets a slot after a failure: the next batch of its partition prepares it anew (fence, restore). */
  private dropSlot(slot: Slot): void {
    const key = taskKey(slot.topic, slot.partition);
    if (this.slots.get(key) === slot) this.slots.delete(key);
    void this.closeSlot(slot);
  }

  private async closeSlot(slot: Slot): Promise<void> {
    slot.closed = true;
    await slot.producer?.disconnect().catch(() => undefined);
  }
}

async function committedOffsets(
  admin: Admin,
  groupId: string,
  slots: readonly Slot[],
): Promise<Map<string, bigint>> {
  const topics = [...new Set(slots.map((s) => s.topic))];
  const result = new Map<string, bigint>();
  for (const t of await admin.fetchOffsets({ groupId, topics })) {
    for (const p of t.partitions) {
      if (p.offset !== '-1') result.set(taskKey(t.topic, p.partition), BigInt(p.offset));
    }
  }
  return result;
}

function groupByTopic(records: readonly OutputRecord[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    let messages = byTopic.get(r.topic);
    if (messages === undefined) byTopic.set(r.topic, (messages = []));
    messages.push({ key: r.key, value: r.value, headers: r.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
