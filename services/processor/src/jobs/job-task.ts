import {
  DeadLetterStage,
  LatestField,
  ProcessedKind,
  RecordHeaders,
  SCHEMA_VERSION,
  type Alert,
  type CleanReading,
  type DeadLetter,
  type Feed,
  type LateRecord,
  type WindowAggregate,
} from '@tideline/contracts';
import { OutputKind } from '@tideline/windowing';
import { cleanRecord } from './clean.ts';
import type { CompiledJob } from './compile-job.ts';
import { KeyedDedup } from './keyed-dedup.ts';
import { LevelAlerts } from './level-alerts.ts';
import { MissingData } from './missing-data.ts';
import type { StatePart } from './state-part.ts';
import { WindowOperator, type WindowOutput } from './window-operator.ts';

/** A record as the task reads it from its input partition. */
export interface InputRecord {
  readonly offset: string;
  readonly value: Buffer | null;
  /** Append time on the raw topic, epoch ms as a string (Kafka's record timestamp). */
  readonly timestamp: string;
}

/** A record the task wants written, in the same transaction as its input offsets and state. */
export interface OutputRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** A latest value for the queryable state, applied to Redis once its transaction has committed. */
export interface LatestUpdate {
  readonly feed: Feed;
  readonly key: string;
  readonly field: string;
  readonly value: string;
  readonly eventTimeMs: number;
}

export interface BatchStats {
  recordsIn: number;
  readings: number;
  windowResults: number;
  late: number;
  duplicates: number;
  alerts: number;
  deadLettered: Record<string, number>;
}

export interface BatchResult {
  /** How many of the batch's records were processed: all, unless the changed state reached its bound. */
  readonly consumed: number;
  readonly records: OutputRecord[];
  readonly latest: LatestUpdate[];
  readonly stats: BatchStats;
}

/** One changed state entry of the task, for its changelog partition. */
export interface StateChange {
  readonly section: string;
  readonly id: string;
  readonly value: unknown;
}

/**
 * A job over one input partition: cleaning, dedup, readings, window engines and alerts, as a pure
 * state machine. The runtime feeds it batches, writes what `processBatch` returns together with
 * `takeChanges()` and the next input offset in one transaction, and rebuilds it with `restore` from
 * the changelog after a crash or a reassignment. It does no I/O and reads no clock.
 */
export class JobTask {
  readonly job: CompiledJob;
  readonly topic: string;
  readonly partition: number;
  private readonly dedup: KeyedDedup | undefined;
  private readonly levels: LevelAlerts | undefined;
  private readonly missing: MissingData | undefined;
  private readonly operators: WindowOperator[];
  private readonly sparkOperators: WindowOperator[];
  private readonly parts: StatePart[];
  private maxEventTimeMs = -Infinity;
  private metaDirty = false;

  constructor(job: CompiledJob, topic: string, partition: number) {
    this.job = job;
    this.topic = topic;
    this.partition = partition;
    const def = job.definition;
    this.dedup =
      def.clean.dedupHorizonMs === undefined ? undefined : new KeyedDedup(def.clean.dedupHorizonMs);
    this.levels =
      def.levelAlerts === undefined
        ? undefined
        : new LevelAlerts(def.levelAlerts.hysteresisFraction, (key) => job.rules.levelsOf(key));
    this.missing =
      def.missingData === undefined ? undefined : new MissingData(def.feed, def.missingData.windowMs);
    this.operators = job.windows.map((w) => new WindowOperator(w.name, w.options));
    this.sparkOperators = this.operators.filter((_, i) => job.windows[i]?.sparkCompatible === true);
    const parts: (StatePart | undefined)[] = [this.dedup, this.levels, this.missing, ...this.operators];
    this.parts = parts.filter((p): p is StatePart => p !== undefined);
  }

  /** The task's event-time watermark: its largest event time minus the job's out-of-orderness. */
  get watermarkMs(): number {
    return this.maxEventTimeMs - this.job.definition.maxOutOfOrdernessMs;
  }

  get openWindows(): number {
    let n = 0;
    for (const op of this.operators) n += op.engine.metrics().openWindows;
    return n;
  }

  /**
   * Processes records from the start of `records` until they are all done or the state changed since the
   * last `takeChanges()` reaches `maxChanges` entries (a batch of many new keys would otherwise make one
   * changelog write, and its memory, as large as the batch); `consumed` says how far it got. At least one
   * record is processed.
   */
  processBatch(records: readonly InputRecord[], maxChanges = Number.POSITIVE_INFINITY): BatchResult {
    const job = this.job;
    const def = job.definition;
    const out: OutputRecord[] = [];
    const latest = new Map<string, LatestUpdate>();
    const stats: BatchStats = {
      recordsIn: records.length,
      readings: 0,
      windowResults: 0,
      late: 0,
      duplicates: 0,
      alerts: 0,
      deadLettered: {},
    };
    const emitAlert = (alert: Alert, appendMs: string): void => {
      const text = JSON.stringify(alert);
      out.push({ topic: job.alertsTopic, key: alert.key, value: text, headers: appended(appendMs) });
      setLatest(latest, job.feed, alert.key, LatestField.alert, text, alert.eventTimeMs);
      stats.alerts++;
    };
    const bounded = Number.isFinite(maxChanges);
    let consumed = 0;
    for (const record of records) {
      if (bounded && consumed > 0 && this.pendingChanges >= maxChanges) break;
      consumed++;
      const text = record.value === null ? '' : record.value.toString('utf8');
      const cleaned = cleanRecord(text, job.rules);
      if (!cleaned.ok) {
        out.push(this.deadLetter(record, text, cleaned.reasonCode, cleaned.reason));
        stats.deadLettered[cleaned.reasonCode] = (stats.deadLettered[cleaned.reasonCode] ?? 0) + 1;
        continue;
      }
      const reading = cleaned.reading;
      const { key, eventTimeMs } = reading;
      if (eventTimeMs > this.maxEventTimeMs) {
        this.maxEventTimeMs = eventTimeMs;
        this.metaDirty = true;
      }
      if (this.dedup?.isDuplicate(key, reading.eventId, eventTimeMs, this.watermarkMs)) {
        stats.duplicates++;
        continue;
      }
      const outTopic = job.processedTopic(this.topic, key);
      if (def.readings) {
        const text = JSON.stringify(reading);
        out.push({
          topic: outTopic,
          key,
          value: text,
          headers: kinded(ProcessedKind.reading, record.timestamp),
        });
        setLatest(latest, job.feed, key, LatestField.reading, text, eventTimeMs);
        stats.readings++;
      }
      const levelAlert = this.levels?.evaluate(reading);
      if (levelAlert !== undefined) emitAlert(levelAlert, record.timestamp);
      const back = this.missing?.seen(key, eventTimeMs, reading.value);
      if (back !== undefined) emitAlert(back, record.timestamp);
      for (const op of this.operators) {
        const engine = op.engine;
        engine.process(key, reading.value, eventTimeMs, 0, reading.eventId);
        if (engine.pendingOutputs > 0)
          this.emitWindows(op, engine.drain(), reading, record.timestamp, out, latest, stats);
      }
    }
    const last = records[consumed - 1];
    // The records of one call (a fetch batch, or the part of it one transaction holds) are the
    // micro-batch of Spark-compatible windows: Spark 3.5's watermark, late filter and eviction. An empty batch is Spark's no-data batch (it runs only if the watermark moved).
    for (const op of this.sparkOperators) {
      op.engine.endMicroBatch();
      if (op.engine.pendingOutputs > 0) {
        this.emitWindows(op, op.engine.drain(), undefined, last?.timestamp ?? '0', out, latest, stats);
      }
    }
    if (last !== undefined) {
      for (const alert of this.missing?.check(this.watermarkMs) ?? []) emitAlert(alert, last.timestamp);
      this.dedup?.sweep(this.watermarkMs);
    }
    stats.recordsIn = consumed;
    return { consumed, records: out, latest: [...latest.values()], stats };
  }

  /** The changelog entries the next `takeChanges()` returns, about. */
  get pendingChanges(): number {
    let n = this.metaDirty ? 1 : 0;
    for (const part of this.parts) n += part.pendingChanges;
    return n;
  }

  /** Everything that changed since the last call, for the changelog (value null: the id is gone). */
  takeChanges(): StateChange[] {
    const changes: StateChange[] = [];
    if (this.metaDirty) {
      changes.push({ section: 'task', id: '', value: { maxEventTimeMs: finite(this.maxEventTimeMs) } });
      this.metaDirty = false;
    }
    for (const part of this.parts) {
      for (const [id, value] of part.takeChanges()) changes.push({ section: part.section, id, value });
    }
    return changes;
  }

  /** Rebuilds the task's state from the latest changelog value of each (section, id). */
  restore(entries: Iterable<StateChange>): void {
    const bySection = new Map<string, [string, unknown][]>();
    for (const e of entries) {
      if (e.section === 'task') {
        const meta = e.value as { maxEventTimeMs: number | null };
        this.maxEventTimeMs = meta.maxEventTimeMs ?? -Infinity;
        continue;
      }
      let list = bySection.get(e.section);
      if (list === undefined) bySection.set(e.section, (list = []));
      list.push([e.id, e.value]);
    }
    for (const part of this.parts) part.restore(bySection.get(part.section) ?? []);
  }

  private emitWindows(
    op: WindowOperator,
    outputs: WindowOutput[],
    reading: CleanReading | undefined,
    appendMs: string,
    out: OutputRecord[],
    latest: Map<string, LatestUpdate>,
    stats: BatchStats,
  ): void {
    const job = this.job;
    for (const o of outputs) {
      if (o.kind === OutputKind.late) {
        const late: LateRecord = {
          schemaVersion: SCHEMA_VERSION,
          job: op.name,
          reason: o.reason,
          key: o.key,
          eventTimeMs: o.eventTimeMs,
          watermarkMs: finite(o.watermarkMs) ?? 0,
          record: reading ?? { value: o.value, eventId: o.eventId ?? null },
        };
        out.push({
          topic: job.lateTopic,
          key: o.key,
          value: JSON.stringify(late),
          headers: appended(appendMs),
        });
        stats.late++;
        continue;
      }
      const aggregate: WindowAggregate = {
        schemaVersion: SCHEMA_VERSION,
        job: op.name,
        key: o.key,
        windowStartMs: o.window.startMs,
        windowEndMs: o.window.endMs,
        aggregates: plainResults(o.value),
        count: o.kind === OutputKind.result ? o.eventCount : 0,
        firing: o.kind === OutputKind.retraction ? 'retraction' : o.final ? 'final' : 'update',
        emittedAtWatermarkMs:
          finite(o.kind === OutputKind.result ? o.watermarkMs : -Infinity) ?? Number.MIN_SAFE_INTEGER,
      };
      const text = JSON.stringify(aggregate);
      out.push({
        topic: job.processedTopic(this.topic, o.key),
        key: o.key,
        value: text,
        headers: kinded(ProcessedKind.window, appendMs),
      });
      if (o.kind === OutputKind.result) {
        setLatest(latest, job.feed, o.key, LatestField.window(op.name), text, o.window.startMs);
      }
      stats.windowResults++;
    }
  }

  private deadLetter(record: InputRecord, text: string, reasonCode: string, reason: string): OutputRecord {
    const letter: DeadLetter = {
      schemaVersion: SCHEMA_VERSION,
      stage: DeadLetterStage.processor,
      reasonCode,
      reason: reason.slice(0, 4096),
      source: `processor/${this.job.id}`,
      topic: this.topic,
      partition: this.partition,
      offset: record.offset,
      rawPayload: text,
      // The append time, not the clock: a replay writes the same dead letter.
      receivedAtMs: Number(record.timestamp),
    };
    return {
      topic: this.job.deadLetterTopic,
      key: null,
      value: JSON.stringify(letter),
      headers: appended(record.timestamp),
    };
  }
}

function setLatest(
  latest: Map<string, LatestUpdate>,
  feed: Feed,
  key: string,
  field: string,
  /** The value's JSON, as written to the output topic. */
  value: string,
  eventTimeMs: number,
): void {
  latest.set(`${field}\u0000${key}`, { feed, key, field, value, eventTimeMs });
}

function kinded(kind: ProcessedKind, appendMs: string): Record<string, string> {
  return { [RecordHeaders.kind]: kind, [RecordHeaders.sourceAppendMs]: appendMs };
}

function appended(appendMs: string): Record<string, string> {
  return { [RecordHeaders.sourceAppendMs]: appendMs };
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function plainResults(value: Record<string, number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name in value) {
    const v = value[name];
    out[name] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out;
}
