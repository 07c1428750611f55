// `pnpm bench engine`: throughput of the windowing engine on one core, and memory per open window.
// Synthetic trades, generated before timing starts; event time moves forward with a little disorder
// (up to 50 ms, within the 200 ms out-of-orderness), outputs drained as a processor would.
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  Aggregates,
  Compatibility,
  CountWindows,
  SessionWindows,
  TimeWindows,
  WindowingEngine,
  type WindowingOptions,
} from '@tideline/windowing';
import type { BenchMetric } from '../scripts/bench.ts';

interface Trade {
  readonly price: number;
}

const BASE_MS = 1_700_000_000_000;
const price = (t: Trade) => t.price;
const VALUES: Trade[] = Array.from({ length: 4096 }, (_, i) => ({
  price: 100 + ((i * 7919) % 10_000) / 100,
}));
const JITTER: number[] = Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 51);

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `SYM${i}`);
}

interface Scenario {
  readonly name: string;
  readonly keys: number;
  /** Events per ms of event time, across all keys. */
  readonly eventsPerMs: number;
  readonly events: number;
  readonly options: WindowingOptions<Trade, unknown>;
  /** Keys that go quiet, to close sessions: key k is silent while ((t / quietEveryMs + k) % 3) === 0. */
  readonly quietEveryMs?: number;
  /** Take the changes (a processor's commit) every this many events. */
  readonly commitEvery?: number;
  /** Spark mode: end a micro-batch every this many events. */
  readonly microBatch?: number;
}

/** Events per second of wall-clock time for one pass over the scenario. */
function throughput(s: Scenario): number {
  const engine = new WindowingEngine<string, Trade, unknown>(s.options);
  const names = keys(s.keys);
  const perMs = s.eventsPerMs;
  const quiet = s.quietEveryMs ?? 0;
  const commitEvery = s.commitEvery ?? 0;
  const microBatch = s.microBatch ?? 0;
  let outputs = 0;
  let changed = 0;
  let processed = 0;
  const started = performance.now();
  for (let i = 0; i < s.events; i++) {
    const k = i % s.keys;
    const t = BASE_MS + Math.floor(i / perMs) - (JITTER[i & 4095] as number);
    if (quiet > 0 && (Math.floor(t / quiet) + k) % 3 === 0) continue;
    processed++;
    engine.process(names[k] as string, VALUES[i & 4095] as Trade, t, 0);
    if (microBatch > 0 && i % microBatch === microBatch - 1) engine.endMicroBatch();
    if ((i & 1023) === 0) outputs += engine.drain().length;
    if (commitEvery > 0 && i % commitEvery === commitEvery - 1) {
      outputs += engine.drain().length;
      changed += engine.takeChanges().keys.length;
    }
  }
  engine.endOfInput();
  outputs += engine.drain().length;
  const elapsedMs = performance.now() - started;
  if (outputs === 0) throw new Error(`${s.name}: no output`);
  if (commitEvery > 0 && changed === 0) throw new Error(`${s.name}: no changes`);
  return (processed / elapsedMs) * 1_000;
}

function best(s: Scenario, runs: number): number {
  let top = 0;
  for (let r = 0; r < runs; r++) top = Math.max(top, throughput(s));
  return top;
}

const exposeGc = (): (() => void) => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
};

/** Heap bytes per open window, and snapshot figures, for `windows` open tumbling windows (one per key). */
function memory(windows: number, options: WindowingOptions<Trade, unknown>) {
  const gc = exposeGc();
  const names = keys(windows);
  const values = VALUES;
  gc();
  const before = process.memoryUsage().heapUsed;
  const engine = new WindowingEngine<string, Trade, unknown>(options);
  for (let i = 0; i < windows; i++)
    engine.process(names[i] as string, values[i & 4095] as Trade, BASE_MS + (i % 1000));
  gc();
  const after = process.memoryUsage().heapUsed;
  if (engine.metrics().openWindows !== windows) throw new Error('windows closed unexpectedly');
  const started = performance.now();
  const text = JSON.stringify(engine.snapshot());
  const snapshotMs = performance.now() - started;
  const restoreStarted = performance.now();
  WindowingEngine.fromSnapshot(options, JSON.parse(text));
  const restoreMs = performance.now() - restoreStarted;
  return {
    bytesPerWindow: (after - before) / windows,
    snapshotMs,
    restoreMs,
    snapshotBytesPerWindow: text.length / windows,
  };
}

/**
 * The changelog: takeChanges cost per changed key (state and JSON text of each, as the processor writes
 * them) with `totalKeys` keys holding an open window each, and the restore of all of them from a folded
 * changelog (JSON parse included), scaled to 100,000 keys.
 */
function changelog(totalKeys: number, options: WindowingOptions<Trade, unknown>) {
  const names = keys(totalKeys);
  const engine = new WindowingEngine<string, Trade, unknown>(options);
  for (let i = 0; i < totalKeys; i++) {
    engine.process(names[i] as string, VALUES[i & 4095] as Trade, BASE_MS + (i % 1000));
  }
  const folded = new Map<string, string>();
  for (const { key, state } of engine.takeChanges().keys) folded.set(key, JSON.stringify(state));
  const changedPerCommit = 1_000;
  const commits = 50;
  let elapsedMs = 0;
  let written = 0;
  for (let c = 0; c < commits; c++) {
    for (let j = 0; j < changedPerCommit; j++) {
      const k = (c * 7_919 + j * 13) % totalKeys;
      engine.process(names[k] as string, VALUES[j & 4095] as Trade, BASE_MS + 1_000);
    }
    engine.drain();
    const started = performance.now();
    const changes = engine.takeChanges();
    for (const { key, state } of changes.keys) folded.set(key, JSON.stringify(state));
    JSON.stringify(changes.meta);
    elapsedMs += performance.now() - started;
    written += changes.keys.length;
  }
  const meta = JSON.stringify(engine.takeChanges().meta);
  const texts = [...folded];
  const started = performance.now();
  WindowingEngine.fromChanges(
    options,
    JSON.parse(meta),
    texts.map(([key, text]) => [key, JSON.parse(text) as unknown] as const),
  );
  const restoreMs = performance.now() - started;
  return { microsPerKey: (elapsedMs * 1_000) / written, restoreMsPer100k: (restoreMs * 100_000) / totalKeys };
}

export async function run(args: string[]): Promise<BenchMetric[]> {
  const quick = args.includes('--quick');
  const scale = quick ? 0.2 : 1;
  const runs = quick ? 1 : 3;
  const n = (events: number) => Math.round(events * scale);
  const hour = 3_600_000;
  const avg = { avg: Aggregates.avg(price) };
  const sparkJob = {
    avg: Aggregates.avg(price),
    min: Aggregates.min(price),
    max: Aggregates.max(price),
    count: Aggregates.count<Trade>(),
  };
  const scenarios: { scenario: Scenario; metric: string; target?: string }[] = [
    {
      metric: 'tumbling 1 s avg, 1,000 keys (100 events/key/window)',
      target: '>= 1000000',
      scenario: {
        name: 'tumbling-1k',
        keys: 1_000,
        eventsPerMs: 100,
        events: n(4_000_000),
        options: { windows: TimeWindows.ofSizeWithNoGrace(1_000), aggregates: avg, maxOutOfOrdernessMs: 200 },
      },
    },
    {
      metric: 'tumbling 1 s avg, 100,000 keys (10 events/key/window)',
      scenario: {
        name: 'tumbling-100k',
        keys: 100_000,
        eventsPerMs: 1_000,
        events: n(4_000_000),
        options: { windows: TimeWindows.ofSizeWithNoGrace(1_000), aggregates: avg, maxOutOfOrdernessMs: 200 },
      },
    },
    {
      metric: 'the same, taking changes (a commit) every 10,000 events',
      scenario: {
        name: 'tumbling-100k-changes',
        keys: 100_000,
        eventsPerMs: 1_000,
        events: n(4_000_000),
        commitEvery: 10_000,
        options: { windows: TimeWindows.ofSizeWithNoGrace(1_000), aggregates: avg, maxOutOfOrdernessMs: 200 },
      },
    },
    {
      metric: 'hopping 3 s / 1 s avg+min+max+count, 1,000 keys',
      scenario: {
        name: 'hopping',
        keys: 1_000,
        eventsPerMs: 100,
        events: n(2_000_000),
        options: {
          windows: TimeWindows.ofSizeWithNoGrace(3_000).advanceBy(1_000),
          aggregates: sparkJob,
          maxOutOfOrdernessMs: 5_000,
        },
      },
    },
    {
      metric: 'the same in Spark mode, micro-batches of 500 events',
      scenario: {
        name: 'hopping-spark',
        keys: 1_000,
        eventsPerMs: 100,
        events: n(2_000_000),
        microBatch: 500,
        options: {
          windows: TimeWindows.ofSizeWithNoGrace(3_000).advanceBy(1_000),
          aggregates: sparkJob,
          maxOutOfOrdernessMs: 5_000,
          compatibility: Compatibility.spark35,
        },
      },
    },
    {
      metric: 'sessions (gap 1 s) avg, 1,000 keys, keys going quiet for 2 s in 3',
      scenario: {
        name: 'sessions',
        keys: 1_000,
        eventsPerMs: 10,
        events: n(2_000_000),
        quietEveryMs: 2_000,
        options: {
          windows: SessionWindows.ofInactivityGapWithNoGrace(1_000),
          aggregates: avg,
          maxOutOfOrdernessMs: 200,
        },
      },
    },
    {
      metric: 'SMA over the last 20 events (count windows), 1,000 keys',
      scenario: {
        name: 'sma20',
        keys: 1_000,
        eventsPerMs: 100,
        events: n(1_000_000),
        options: { windows: CountWindows.ofSize(20), aggregates: { sma: Aggregates.avg(price) } },
      },
    },
  ];
  const metrics: BenchMetric[] = [];
  for (const { scenario, metric, target } of scenarios) {
    const value = best(scenario, runs);
    metrics.push({ metric, value, unit: 'events/s', ...(target === undefined ? {} : { target }) });
  }
  const windows = quick ? 20_000 : 200_000;
  const tumblingMemory = memory(windows, { windows: TimeWindows.ofSizeWithNoGrace(hour), aggregates: avg });
  const sparkMemory = memory(windows, { windows: TimeWindows.ofSizeWithNoGrace(hour), aggregates: sparkJob });
  metrics.push(
    { metric: 'memory per open window, avg', value: tumblingMemory.bytesPerWindow, unit: 'bytes' },
    { metric: 'memory per open window, avg+min+max+count', value: sparkMemory.bytesPerWindow, unit: 'bytes' },
    {
      metric: `snapshot of ${windows.toLocaleString('en')} avg windows (JSON)`,
      value: tumblingMemory.snapshotMs,
      unit: 'ms',
    },
    {
      metric: `restore of ${windows.toLocaleString('en')} avg windows (JSON)`,
      value: tumblingMemory.restoreMs,
      unit: 'ms',
    },
    {
      metric: 'snapshot size per avg window (JSON)',
      value: tumblingMemory.snapshotBytesPerWindow,
      unit: 'bytes',
    },
  );
  const held = quick ? 20_000 : 200_000;
  const changes = changelog(held, {
    windows: TimeWindows.ofSizeWithNoGrace(hour),
    aggregates: sparkJob,
    dedupHorizonMs: 60_000,
  });
  metrics.push(
    {
      metric: `takeChanges per changed key (avg+min+max+count window, JSON text), ${held.toLocaleString('en')} keys held`,
      value: changes.microsPerKey,
      unit: 'µs',
    },
    {
      metric: 'restore from a folded changelog, per 100,000 keys (one window each, JSON parse included)',
      value: changes.restoreMsPer100k,
      unit: 'ms',
    },
  );
  return metrics;
}
