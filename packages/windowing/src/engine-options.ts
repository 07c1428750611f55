import { AccumulationMode } from './accumulation.ts';
import type { Aggregate, AggregateSet } from './aggregate.ts';
import { Compatibility } from './compatibility.ts';
import { CountWindows } from './count-windows.ts';
import { EmitKind, EmitStrategy } from './emit-strategy.ts';
import { WindowingError, WindowingErrorCodes } from './errors.ts';
import { SessionWindows } from './session-windows.ts';
import { TimeWindows } from './time-windows.ts';
import type { WindowSpec } from './window-spec.ts';

/** Keys are compared by value, so they must be strings or numbers (stringify composite keys). */
export type WindowKey = string | number;

export interface WindowingOptions<V, R> {
  readonly windows: WindowSpec;
  /** The job's named aggregates; each result's `value` has one entry per name. */
  readonly aggregates: AggregateSet<V, R>;
  /** How far behind the largest event time of a partition its watermark trails. Default 0. */
  readonly maxOutOfOrdernessMs?: number;
  /** Default onWindowClose. */
  readonly emit?: EmitStrategy;
  /** Default accumulating. */
  readonly accumulation?: AccumulationMode;
  /**
   * The input partitions this engine reads. Declared partitions hold the watermark back until they deliver
   * a record or are marked idle; undeclared ones count from their first record.
   */
  readonly partitions?: readonly number[];
  /** Drop events whose id was seen within this horizon of event time (behind the watermark). Default: no dedup. */
  readonly dedupHorizonMs?: number;
  /**
   * Default tideline. `spark-3.5` follows Spark Structured Streaming 3.5's micro-batch rules (the caller
   * marks batches with `endMicroBatch()`); it needs time windows without grace, onWindowClose and the
   * accumulating mode: Spark's windowed aggregation in append mode.
   */
  readonly compatibility?: Compatibility;
}

export interface ResolvedOptions<V> {
  readonly windows: WindowSpec;
  readonly names: readonly string[];
  readonly aggregates: readonly Aggregate<V, unknown, unknown>[];
  readonly maxOutOfOrdernessMs: number;
  readonly emit: EmitStrategy;
  readonly accumulation: AccumulationMode;
  readonly partitions: readonly number[];
  readonly dedupHorizonMs: number | undefined;
  readonly compatibility: Compatibility;
  /** Describes everything that shapes state, so a snapshot is only restored into a matching engine. */
  readonly fingerprint: string;
}

const accumulationModes: readonly string[] = Object.values(AccumulationMode);
const emitKinds: readonly string[] = Object.values(EmitKind);
const compatibilities: readonly string[] = Object.values(Compatibility);

/** Validates the options once, reporting every problem together, and returns them resolved and frozen. */
export function resolveOptions<V, R>(options: WindowingOptions<V, R>): ResolvedOptions<V> {
  const problems: string[] = [];
  const opts = (options ?? {}) as Partial<WindowingOptions<V, R>>;
  const windows = opts.windows;
  if (
    !(windows instanceof TimeWindows || windows instanceof SessionWindows || windows instanceof CountWindows)
  ) {
    problems.push('windows must be a TimeWindows, SessionWindows or CountWindows');
  }
  const names: string[] = [];
  const aggregates: Aggregate<V, unknown, unknown>[] = [];
  const set = opts.aggregates as Record<string, Aggregate<V, unknown, unknown>> | undefined;
  if (typeof set !== 'object' || set === null || Object.keys(set).length === 0) {
    problems.push('aggregates must name at least one aggregate');
  } else {
    for (const [name, aggregate] of Object.entries(set)) {
      if (!isAggregate(aggregate)) {
        problems.push(`aggregates.${name} must have kind, create, add, merge and result`);
      } else {
        names.push(name);
        aggregates.push(aggregate);
      }
    }
  }
  const maxOutOfOrdernessMs = opts.maxOutOfOrdernessMs ?? 0;
  if (!Number.isSafeInteger(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
    problems.push(`maxOutOfOrdernessMs must be an integer >= 0, got ${String(maxOutOfOrdernessMs)}`);
  }
  const emit = opts.emit ?? EmitStrategy.onWindowClose();
  if (typeof emit !== 'object' || emit === null || !emitKinds.includes(emit.kind)) {
    problems.push('emit must come from EmitStrategy.onWindowClose(), onUpdate() or onCount()');
  }
  const accumulation = opts.accumulation ?? AccumulationMode.accumulating;
  if (!accumulationModes.includes(accumulation)) {
    problems.push(`accumulation must be one of ${accumulationModes.join(', ')}, got ${String(accumulation)}`);
  }
  if (!(windows instanceof CountWindows)) {
    names.forEach((name, i) => {
      if ((aggregates[i] as Aggregate<V>).running === true) {
        problems.push(`aggregates.${name} is running: only count windows keep running aggregates`);
      }
    });
  }
  if (windows instanceof CountWindows) {
    if (opts.emit !== undefined && emit.kind !== EmitKind.onWindowClose) {
      problems.push('count windows fire as they fill: emit must be onWindowClose');
    }
    if (accumulation !== AccumulationMode.accumulating) {
      problems.push('count windows support only the accumulating mode');
    }
  }
  const partitions = opts.partitions ?? [];
  if (!Array.isArray(partitions) || partitions.some((p) => !Number.isSafeInteger(p) || p < 0)) {
    problems.push('partitions must be a list of integers >= 0');
  } else if (new Set(partitions).size !== partitions.length) {
    problems.push('partitions must not repeat');
  }
  const dedupHorizonMs = opts.dedupHorizonMs;
  if (dedupHorizonMs !== undefined && (!Number.isSafeInteger(dedupHorizonMs) || dedupHorizonMs < 0)) {
    problems.push(`dedupHorizonMs must be an integer >= 0, got ${String(dedupHorizonMs)}`);
  }
  const compatibility = opts.compatibility ?? Compatibility.tideline;
  if (!compatibilities.includes(compatibility)) {
    problems.push(`compatibility must be one of ${compatibilities.join(', ')}, got ${String(compatibility)}`);
  } else if (compatibility === Compatibility.spark35) {
    if (!(windows instanceof TimeWindows) || windows.graceMs !== 0) {
      problems.push('spark-3.5 compatibility needs time windows (tumbling or sliding) without grace');
    }
    if (emit.kind !== EmitKind.onWindowClose || accumulation !== AccumulationMode.accumulating) {
      problems.push('spark-3.5 compatibility is append mode: emit onWindowClose, accumulating');
    }
  }
  if (problems.length > 0) {
    throw new WindowingError(
      WindowingErrorCodes.invalidOptions,
      `invalid windowing options: ${problems.join('; ')}`,
      {
        problems,
      },
    );
  }
  const spec = windows as WindowSpec;
  const fingerprint = JSON.stringify({
    windows: spec.toString(),
    aggregates: names.map((name, i) => [name, (aggregates[i] as Aggregate<V>).kind]),
    maxOutOfOrdernessMs,
    emit,
    accumulation,
    dedupHorizonMs: dedupHorizonMs ?? null,
    ...(compatibility === Compatibility.tideline ? {} : { compatibility }),
  });
  return Object.freeze({
    windows: spec,
    names: Object.freeze(names),
    aggregates: Object.freeze(aggregates),
    maxOutOfOrdernessMs,
    emit,
    accumulation,
    partitions: Object.freeze([...partitions]),
    dedupHorizonMs,
    compatibility,
    fingerprint,
  });
}

function isAggregate(value: unknown): value is Aggregate<unknown, unknown, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a['kind'] === 'string' &&
    typeof a['create'] === 'function' &&
    typeof a['add'] === 'function' &&
    typeof a['merge'] === 'function' &&
    typeof a['result'] === 'function'
  );
}
