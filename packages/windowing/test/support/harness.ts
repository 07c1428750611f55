// Runs the same operations through the engine (via the test driver) and through the oracle.
import assert from 'node:assert/strict';
import {
  type AccumulationMode,
  Aggregates,
  EmitStrategy,
  SessionWindows,
  TimeWindows,
  WindowingTestDriver,
  type Output,
  type WindowingOptions,
} from '../../src/index.ts';
import {
  EMA_ALPHA,
  Oracle,
  type Op,
  type OracleConfig,
  type OracleOutput,
  type Trade,
  type Values,
} from './oracle.ts';

export const aggregates = {
  count: Aggregates.count<Trade>(),
  sum: Aggregates.sum((t: Trade) => t.price),
  min: Aggregates.min((t: Trade) => t.price),
  max: Aggregates.max((t: Trade) => t.price),
  avg: Aggregates.avg((t: Trade) => t.price),
  first: Aggregates.first((t: Trade) => t.price),
  last: Aggregates.last((t: Trade) => t.price),
  sd: Aggregates.stddev((t: Trade) => t.price),
  sma3: Aggregates.sma(3, (t: Trade) => t.price),
  ema: Aggregates.ema({ alpha: EMA_ALPHA }, (t: Trade) => t.price),
};

export function engineOptions(config: OracleConfig): WindowingOptions<Trade, Values> {
  const w = config.windows;
  const windows =
    w.kind === 'time'
      ? TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs).advanceBy(w.advanceMs).withOffsetMs(w.offsetMs)
      : SessionWindows.ofInactivityGapAndGrace(w.gapMs, w.graceMs);
  const e = config.emit;
  const emit =
    e.kind === 'on-window-close'
      ? EmitStrategy.onWindowClose()
      : e.kind === 'on-update'
        ? EmitStrategy.onUpdate({ throttleMs: e.throttleMs })
        : EmitStrategy.onCount(e.everyEvents);
  const options: WindowingOptions<Trade, Values> = {
    windows,
    aggregates,
    maxOutOfOrdernessMs: config.delayMs,
    emit,
    accumulation: config.accumulation as AccumulationMode,
    ...(config.partitions === undefined ? {} : { partitions: config.partitions }),
    ...(config.dedupHorizonMs === undefined ? {} : { dedupHorizonMs: config.dedupHorizonMs }),
  };
  return options;
}

type EngineOutput = Output<string, Trade, Values>;

/** Applies the ops to a driver; `restart` ops snapshot and restore. Returns the outputs of each op. */
export function runEngine(config: OracleConfig, ops: readonly Op[], restarts = true): EngineOutput[][] {
  const driver = new WindowingTestDriver<string, Trade, Values>(engineOptions(config));
  const steps: EngineOutput[][] = [];
  for (const op of ops) {
    switch (op.op) {
      case 'event':
        driver.pipe(op.key, { price: op.price }, op.t, op.partition, op.id);
        break;
      case 'idle':
        driver.markIdle(op.partition);
        break;
      case 'proc':
        driver.advanceProcessingTime(op.nowMs);
        break;
      case 'end':
        driver.endOfInput();
        break;
      case 'restart':
        if (restarts) driver.restart();
        break;
    }
    steps.push(driver.readOutput());
  }
  return steps;
}

export function runOracle(
  config: OracleConfig,
  ops: readonly Op[],
): { steps: OracleOutput[][]; oracle: Oracle } {
  const oracle = new Oracle(config);
  return { steps: ops.map((op) => oracle.apply(op)), oracle };
}

function identity(o: { kind: string; [k: string]: unknown }): string {
  const w = o['window'] as { startMs: number; endMs: number } | undefined;
  return JSON.stringify([
    o.kind,
    o['key'],
    w?.startMs,
    w?.endMs,
    o['firing'],
    o['eventTimeMs'],
    o['eventId'],
    o['value'],
  ]);
}

/**
 * Compares the engine's and the oracle's outputs step by step, as multisets (the order of firings within
 * one step is checked by the determinism properties instead). With `tolerance` > 0, numbers inside values
 * may differ by that relative amount (merged sessions sum in a different order); otherwise bit for bit.
 */
export function assertSameSteps(
  engine: readonly EngineOutput[][],
  oracle: readonly OracleOutput[][],
  tolerance: number,
  context: unknown,
): void {
  assert.equal(engine.length, oracle.length);
  for (let i = 0; i < engine.length; i++) {
    const actual = [...(engine[i] as EngineOutput[])].map((o) => ({ ...o }) as unknown as OracleOutput);
    const expected = [...(oracle[i] as OracleOutput[])];
    const message = () =>
      `step ${i}: ${JSON.stringify(context)}\nengine ${JSON.stringify(actual)}\noracle ${JSON.stringify(expected)}`;
    assert.equal(actual.length, expected.length, message());
    if (tolerance === 0) {
      const key = (o: OracleOutput) => identity(o);
      actual.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      expected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      assert.deepStrictEqual(actual, expected, message());
    } else {
      const key = (o: OracleOutput) => {
        const { value: _value, ...rest } = o;
        return JSON.stringify(identityFields(rest));
      };
      actual.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      expected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      for (let j = 0; j < actual.length; j++) {
        assertClose(actual[j], expected[j], tolerance, message);
      }
    }
  }
}

function identityFields(o: Record<string, unknown>): unknown[] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]]);
}

function assertClose(a: unknown, b: unknown, tolerance: number, message: () => string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return;
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    assert.ok(Math.abs(a - b) <= tolerance * scale, `${a} vs ${b}\n${message()}`);
    return;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    assert.deepStrictEqual(ka, kb, message());
    for (const k of ka) {
      assertClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance, message);
    }
    return;
  }
  assert.strictEqual(a, b, message());
}
