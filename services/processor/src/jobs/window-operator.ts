import {
  AccumulationMode,
  Aggregates,
  Compatibility,
  CountWindows,
  EmitStrategy,
  SessionWindows,
  TimeWindows,
  WindowingEngine,
  type Aggregate,
  type Output,
  type WindowingOptions,
  type WindowSpec,
} from '@tideline/windowing';
import type { WindowJob } from './job-schema.ts';
import type { StatePart } from './state-part.ts';
import { restoreEngine, takeEngineChanges } from './engine-changes.ts';

/** The engine's value is the reading's number; its results one number (or null) per named aggregate. */
export type Results = Record<string, number | null>;
export type WindowOutput = Output<string, number, Results>;

/** The engine options of a window job, built once per job and shared by its tasks. */
export function engineOptionsOf(
  job: WindowJob,
  maxOutOfOrdernessMs: number,
): WindowingOptions<number, Results> {
  const aggregates: Record<string, Aggregate<number>> = {};
  const counted = job.window.type === 'count';
  for (const [name, a] of Object.entries(job.aggregates)) {
    // In a count window an EMA covers the key's whole history (a running accumulator), not only the
    // last k values: the exponential moving average traders expect beside the SMA over k.
    const aggregate = aggregateOf(a);
    aggregates[name] =
      counted && a.fn === 'ema' ? (Aggregates.running(aggregate) as Aggregate<number>) : aggregate;
  }
  return {
    windows: windowsOf(job.window),
    aggregates: aggregates as WindowingOptions<number, Results>['aggregates'],
    maxOutOfOrdernessMs,
    emit: emitOf(job.emit),
    accumulation: job.accumulation ?? AccumulationMode.accumulating,
    ...(job.sparkCompatible === true ? { compatibility: Compatibility.spark35 } : {}),
  };
}

/**
 * One window job of one task: a windowing engine over the task's partition, whose state goes to the
 * changelog as the keys it changed (section `win:<name>`, id '' for the engine's own meta).
 */
export class WindowOperator implements StatePart {
  readonly name: string;
  readonly section: string;
  private readonly options: WindowingOptions<number, Results>;
  engine: WindowingEngine<string, number, Results>;

  constructor(name: string, options: WindowingOptions<number, Results>) {
    this.name = name;
    this.section = `win:${name}`;
    this.options = options;
    this.engine = new WindowingEngine<string, number, Results>(options);
  }

  get pendingChanges(): number {
    return this.engine.pendingChangedKeys + 1; // and the meta
  }

  takeChanges(): [string, unknown][] {
    return takeEngineChanges(this.engine);
  }

  restore(entries: Iterable<[string, unknown]>): void {
    this.engine = restoreEngine(this.options, entries);
  }
}

function windowsOf(w: WindowJob['window']): WindowSpec {
  switch (w.type) {
    case 'tumbling':
      return TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs ?? 0);
    case 'hopping':
      return TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs ?? 0).advanceBy(w.advanceMs);
    case 'session':
      return SessionWindows.ofInactivityGapAndGrace(w.gapMs, w.graceMs ?? 0);
    case 'count':
      return CountWindows.ofSize(w.size);
  }
}

function emitOf(emit: WindowJob['emit']): EmitStrategy {
  switch (emit?.type) {
    case undefined:
    case 'on-window-close':
      return EmitStrategy.onWindowClose();
    case 'on-update':
      return EmitStrategy.onUpdate(emit.throttleMs === undefined ? {} : { throttleMs: emit.throttleMs });
    case 'on-count':
      return EmitStrategy.onCount(emit.everyEvents);
  }
}

const identity = (v: number): number => v;

function aggregateOf(a: WindowJob['aggregates'][string]): Aggregate<number> {
  switch (a.fn) {
    case 'ema':
      return Aggregates.ema({ span: (a as { span: number }).span }, identity) as Aggregate<number>;
    case 'stddev':
      return Aggregates.stddev(identity) as Aggregate<number>;
    case 'count':
      return Aggregates.count() as Aggregate<number>;
    case 'sum':
      return Aggregates.sum(identity) as Aggregate<number>;
    case 'min':
      return Aggregates.min(identity) as Aggregate<number>;
    case 'max':
      return Aggregates.max(identity) as Aggregate<number>;
    case 'avg':
      return Aggregates.avg(identity) as Aggregate<number>;
    case 'first':
      return Aggregates.first(identity) as Aggregate<number>;
    case 'last':
      return Aggregates.last(identity) as Aggregate<number>;
    default:
      throw new Error(`unknown aggregate ${JSON.stringify(a)}`);
  }
}
