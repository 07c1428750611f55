import { WindowingEngine } from './engine.ts';
import type { EngineMetrics } from './engine.ts';
import type { WindowKey, WindowingOptions } from './engine-options.ts';
import {
  OutputKind,
  type LateRecord,
  type Output,
  type WindowResult,
  type WindowRetraction,
} from './output.ts';
import type { EngineChangesMeta } from './changes.ts';
import type { EngineSnapshot } from './snapshot.ts';

export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestampMs: number;
  readonly partition?: number;
  readonly eventId?: string;
}

/**
 * Drives an engine without a broker, in the spirit of Kafka Streams' TopologyTestDriver: pipe records with
 * their event time and partition, mark partitions idle, advance processing time, end the input, read what
 * came out. `restart()` simulates a crash and recovery: snapshot, JSON round trip, restore into a new engine.
 *
 *   const driver = new WindowingTestDriver<string, Trade, Prices>(options);
 *   driver.pipe('AGL', trade, 1_000).pipe('AGL', trade, 2_000).endOfInput();
 *   driver.readResults(); // the final results, in emission order
 */
export class WindowingTestDriver<K extends WindowKey, V, R> {
  private readonly options: WindowingOptions<V, R>;
  private current: WindowingEngine<K, V, R>;
  private buffer: Output<K, V, R>[] = [];
  /** Snapshots taken by `restart()`, as the JSON text a store would hold. */
  readonly snapshots: string[] = [];
  /** The folded changelog `commit()` writes: each key's latest state as JSON text. */
  readonly changelog = new Map<K, string>();
  /** The latest changes meta `commit()` wrote, as JSON text. */
  changelogMeta: string | undefined = undefined;

  constructor(options: WindowingOptions<V, R>) {
    this.options = options;
    this.current = new WindowingEngine<K, V, R>(options);
  }

  get engine(): WindowingEngine<K, V, R> {
    return this.current;
  }

  get watermarkMs(): number {
    return this.current.watermarkMs;
  }

  pipe(key: K, value: V, timestampMs: number, partition = 0, eventId?: string): this {
    this.current.process(key, value, timestampMs, partition, eventId);
    return this.collect();
  }

  pipeRecords(records: Iterable<TestRecord<K, V>>): this {
    for (const r of records) this.current.process(r.key, r.value, r.timestampMs, r.partition ?? 0, r.eventId);
    return this.collect();
  }

  markIdle(partition: number): this {
    this.current.markIdle(partition);
    return this.collect();
  }

  advanceProcessingTime(nowMs: number): this {
    this.current.advanceProcessingTime(nowMs);
    return this.collect();
  }

  endOfInput(): this {
    this.current.endOfInput();
    return this.collect();
  }

  /** Spark mode: ends the current micro-batch (see `WindowingEngine.endMicroBatch`). */
  endMicroBatch(): this {
    this.current.endMicroBatch();
    return this.collect();
  }

  /**
   * A processor's commit: takes the engine's changes and folds them, as JSON text, into `changelog` (latest
   * state per key, deleted on null) and `changelogMeta`, as a compacted changelog topic would hold them.
   */
  commit(): this {
    this.collect();
    const changes = this.current.takeChanges();
    for (const { key, state } of changes.keys) {
      if (state === null) this.changelog.delete(key);
      else this.changelog.set(key, JSON.stringify(state));
    }
    this.changelogMeta = JSON.stringify(changes.meta);
    return this;
  }

  /** Commits, then restores a fresh engine from the folded changelog: a restart that reads the changelog. */
  restartFromChangelog(): this {
    this.commit();
    const entries = [...this.changelog].map(([key, text]) => [key, JSON.parse(text) as unknown] as const);
    this.current = WindowingEngine.fromChanges<K, V, R>(
      this.options,
      JSON.parse(this.changelogMeta as string) as EngineChangesMeta,
      entries,
    );
    return this;
  }

  /** Snapshot, serialise, restore into a fresh engine: what a crashed processor does on restart. */
  restart(): this {
    this.collect();
    const text = JSON.stringify(this.current.snapshot());
    this.snapshots.push(text);
    this.current = WindowingEngine.fromSnapshot<K, V, R>(this.options, JSON.parse(text) as EngineSnapshot);
    return this;
  }

  /** Every output since the last read, in emission order. */
  readOutput(): Output<K, V, R>[] {
    this.collect();
    const outputs = this.buffer;
    this.buffer = [];
    return outputs;
  }

  /** Reads every output and returns the results among them. */
  readResults(): WindowResult<K, R>[] {
    return this.readOutput().filter((o): o is WindowResult<K, R> => o.kind === OutputKind.result);
  }

  /** Reads every output and returns the retractions among them. */
  readRetractions(): WindowRetraction<K, R>[] {
    return this.readOutput().filter((o): o is WindowRetraction<K, R> => o.kind === OutputKind.retraction);
  }

  /** Reads every output and returns the late records among them. */
  readLate(): LateRecord<K, V>[] {
    return this.readOutput().filter((o): o is LateRecord<K, V> => o.kind === OutputKind.late);
  }

  metrics(): EngineMetrics {
    return this.current.metrics();
  }

  private collect(): this {
    const outputs = this.current.drain();
    for (const o of outputs) this.buffer.push(o);
    return this;
  }
}
