// A brute-force reference for the engine: it keeps every event of every window in a list and recomputes
// each result from scratch, with the semantics written out as plainly as possible. Property tests compare
// the engine with it over random inputs.

export interface Trade {
  readonly price: number;
}

export type Op =
  | { readonly op: 'event'; key: string; price: number; t: number; partition: number; id?: string }
  | { readonly op: 'idle'; partition: number }
  | { readonly op: 'proc'; nowMs: number }
  | { readonly op: 'end' }
  | { readonly op: 'restart' };

export type OracleWindows =
  | { kind: 'time'; sizeMs: number; advanceMs: number; offsetMs: number; graceMs: number }
  | { kind: 'session'; gapMs: number; graceMs: number };

export type OracleEmit =
  | { kind: 'on-window-close' }
  | { kind: 'on-update'; throttleMs: number }
  | { kind: 'on-count'; everyEvents: number };

export interface OracleConfig {
  windows: OracleWindows;
  delayMs: number;
  emit: OracleEmit;
  accumulation: 'accumulating' | 'discarding' | 'accumulating-and-retracting';
  dedupHorizonMs?: number;
  partitions?: number[];
}

export interface Values {
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
  first: number | null;
  last: number | null;
  sd: number | null;
  sma3: number;
  ema: number;
}

export interface OracleOutput {
  kind: 'result' | 'retraction' | 'late';
  [field: string]: unknown;
}

interface Ev {
  price: number;
  t: number;
  seq: number;
}

interface Win {
  key: string;
  startMs: number;
  endMs: number;
  all: Ev[];
  pane: Ev[];
  dirty: boolean;
  firings: number;
  onTime: boolean;
  alive: boolean;
  last: Values | undefined;
}

export const EMA_ALPHA = 0.5;

/** Every aggregate of the property tests, from the window's events in the order given. */
export function compute(events: readonly Ev[]): Values {
  let sum = 0;
  let min = Number.NaN;
  let max = Number.NaN;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let ema = Number.NaN;
  for (const e of events) {
    sum += e.price;
    if (n === 0 || e.price < min) min = e.price;
    if (n === 0 || e.price > max) max = e.price;
    n++;
    const delta = e.price - mean;
    mean += delta / n;
    m2 += delta * (e.price - mean);
    ema = n === 1 ? e.price : EMA_ALPHA * e.price + (1 - EMA_ALPHA) * ema;
  }
  const byTime = [...events].sort((a, b) => a.t - b.t || a.seq - b.seq);
  const lastThree = [...events].sort((a, b) => a.seq - b.seq).slice(-3);
  let smaSum = 0;
  for (const e of lastThree) smaSum += e.price;
  return {
    count: n,
    sum,
    min,
    max,
    avg: sum / n,
    first: byTime[0]?.price ?? null,
    last: byTime[byTime.length - 1]?.price ?? null,
    sd: n < 2 ? null : Math.sqrt(m2 / (n - 1)),
    sma3: smaSum / lastThree.length,
    ema,
  };
}

export class Oracle {
  private readonly config: OracleConfig;
  private readonly partitions = new Map<number, { max: number; idle: boolean }>();
  private watermark = Number.NEGATIVE_INFINITY;
  private now = 0;
  private seq = 0;
  private readonly windows: Win[] = [];
  private readonly seen = new Map<string, number>();
  private readonly throttle = new Map<string, { lastEmit: number; pending: Win[] }>();
  private out: OracleOutput[] = [];
  lateAccepted = 0;
  lateDropped = 0;
  duplicates = 0;

  constructor(config: OracleConfig) {
    this.config = config;
    for (const p of config.partitions ?? [])
      this.partitions.set(p, { max: Number.NEGATIVE_INFINITY, idle: false });
  }

  apply(op: Op): OracleOutput[] {
    this.out = [];
    switch (op.op) {
      case 'event':
        this.event(op.key, op.price, op.t, op.partition, op.id);
        break;
      case 'idle': {
        const p = this.partition(op.partition);
        p.idle = true;
        this.advance();
        break;
      }
      case 'proc':
        this.processingTime(op.nowMs);
        break;
      case 'end':
        this.watermark = Number.POSITIVE_INFINITY;
        this.closeWindows();
        break;
      case 'restart':
        break;
    }
    return this.out;
  }

  private partition(id: number) {
    let p = this.partitions.get(id);
    if (p === undefined) {
      p = { max: Number.NEGATIVE_INFINITY, idle: false };
      this.partitions.set(id, p);
    }
    return p;
  }

  private event(key: string, price: number, t: number, partition: number, id: string | undefined): void {
    const W = this.watermark;
    const p = this.partition(partition);
    const horizon = this.config.dedupHorizonMs;
    let duplicate = false;
    if (id !== undefined && horizon !== undefined) {
      const previous = this.seen.get(id);
      if (previous !== undefined && previous >= W - horizon) duplicate = true;
      else this.seen.set(id, t);
    }
    if (duplicate) this.duplicates++;
    else {
      const ev: Ev = { price, t, seq: this.seq++ };
      if (this.config.windows.kind === 'time') this.timeEvent(key, ev, partition, id);
      else this.sessionEvent(key, ev, partition, id);
    }
    p.idle = false;
    if (t > p.max) p.max = t;
    this.advance();
  }

  private timeEvent(key: string, ev: Ev, partition: number, id: string | undefined): void {
    const spec = this.config.windows as Extract<OracleWindows, { kind: 'time' }>;
    const W = this.watermark;
    const missed: { startMs: number; endMs: number }[] = [];
    let late = false;
    // Every start on the grid with start <= t < start + size, by brute force.
    const starts: number[] = [];
    const first =
      Math.floor((ev.t - spec.sizeMs - spec.offsetMs) / spec.advanceMs) * spec.advanceMs + spec.offsetMs;
    for (let s = first; s <= ev.t; s += spec.advanceMs) if (s + spec.sizeMs > ev.t) starts.push(s);
    for (const startMs of starts) {
      const endMs = startMs + spec.sizeMs;
      if (endMs + spec.graceMs <= W) {
        missed.push({ startMs, endMs });
        continue;
      }
      let w = this.windows.find((x) => x.alive && x.key === key && x.startMs === startMs);
      if (w === undefined) {
        w = this.newWindow(key, startMs, endMs);
        w.onTime = endMs <= W;
      }
      this.addEvent(w, ev);
      if (w.onTime) late = true;
      this.changed(w);
    }
    if (late) this.lateAccepted++;
    if (missed.length > 0) this.lateRecord(key, ev, partition, id, missed);
  }

  private sessionEvent(key: string, ev: Ev, partition: number, id: string | undefined): void {
    const spec = this.config.windows as Extract<OracleWindows, { kind: 'session' }>;
    const W = this.watermark;
    const endMs = ev.t + spec.gapMs;
    const overlapping = this.windows
      .filter((x) => x.alive && x.key === key && x.startMs < endMs && ev.t < x.endMs)
      .sort((a, b) => a.startMs - b.startMs);
    let w: Win;
    if (overlapping.length === 0) {
      if (endMs + spec.graceMs <= W) {
        this.lateRecord(key, ev, partition, id, [{ startMs: ev.t, endMs }]);
        return;
      }
      w = this.newWindow(key, ev.t, endMs);
      w.onTime = endMs <= W;
    } else {
      w = overlapping[0] as Win;
      const startMs = Math.min(ev.t, ...overlapping.map((x) => x.startMs));
      const mergedEnd = Math.max(endMs, ...overlapping.map((x) => x.endMs));
      if (overlapping.length > 1 || startMs !== w.startMs || mergedEnd !== w.endMs) {
        for (const x of overlapping) this.retract(x);
        for (const x of overlapping.slice(1)) {
          w.all.push(...x.all);
          w.pane.push(...x.pane);
          w.dirty ||= x.dirty;
          w.firings = Math.max(w.firings, x.firings);
          x.alive = false;
        }
        w.startMs = startMs;
        w.endMs = mergedEnd;
        w.onTime = mergedEnd <= W;
      }
    }
    this.addEvent(w, ev);
    if (w.onTime) this.lateAccepted++;
    this.changed(w);
  }

  private newWindow(key: string, startMs: number, endMs: number): Win {
    const w: Win = {
      key,
      startMs,
      endMs,
      all: [],
      pane: [],
      dirty: false,
      firings: 0,
      onTime: false,
      alive: true,
      last: undefined,
    };
    this.windows.push(w);
    return w;
  }

  private addEvent(w: Win, ev: Ev): void {
    w.all.push(ev);
    w.pane.push(ev);
    w.dirty = true;
  }

  private changed(w: Win): void {
    if (w.onTime) {
      this.fire(w, 'late');
      return;
    }
    const emit = this.config.emit;
    if (emit.kind === 'on-update') {
      if (emit.throttleMs === 0) this.fire(w, 'early');
      else {
        const state = this.throttle.get(w.key);
        if (state === undefined) {
          this.fire(w, 'early');
          this.throttle.set(w.key, { lastEmit: this.now, pending: [] });
        } else if (!state.pending.includes(w)) state.pending.push(w);
      }
    } else if (emit.kind === 'on-count' && w.pane.length >= emit.everyEvents) {
      this.fire(w, 'early');
    }
  }

  private fire(w: Win, timing: 'early' | 'on-time' | 'late'): void {
    const events = this.config.accumulation === 'discarding' ? w.pane : w.all;
    const value = compute(events);
    this.retract(w);
    this.out.push({
      kind: 'result',
      key: w.key,
      window: { startMs: w.startMs, endMs: w.endMs },
      value,
      eventCount: events.length,
      firing: w.firings,
      timing,
      final: timing !== 'early',
      watermarkMs: this.watermark,
    });
    w.firings++;
    w.dirty = false;
    if (this.config.accumulation === 'discarding') w.all = [];
    w.pane = [];
    if (this.config.accumulation === 'accumulating-and-retracting') w.last = value;
  }

  private retract(w: Win): void {
    if (w.last === undefined) return;
    this.out.push({
      kind: 'retraction',
      key: w.key,
      window: { startMs: w.startMs, endMs: w.endMs },
      value: w.last,
      firing: w.firings - 1,
    });
    w.last = undefined;
  }

  private lateRecord(
    key: string,
    ev: Ev,
    partition: number,
    eventId: string | undefined,
    windows: { startMs: number; endMs: number }[],
  ): void {
    this.lateDropped++;
    this.out.push({
      kind: 'late',
      key,
      value: { price: ev.price },
      eventTimeMs: ev.t,
      partition,
      eventId,
      reason: 'beyond_allowed_lateness',
      watermarkMs: this.watermark,
      windows,
    });
  }

  private advance(): void {
    const parts = [...this.partitions.values()];
    const active = parts.filter((p) => !p.idle).map((p) => p.max - this.config.delayMs);
    const all = parts.map((p) => p.max - this.config.delayMs);
    const candidate =
      active.length > 0 ? Math.min(...active) : all.length > 0 ? Math.max(...all) : Number.NEGATIVE_INFINITY;
    if (candidate > this.watermark) {
      this.watermark = candidate;
      this.closeWindows();
    }
  }

  private closeWindows(): void {
    const W = this.watermark;
    const grace = this.config.windows.graceMs;
    const due = this.windows
      .filter((w) => w.alive && !w.onTime && w.endMs <= W)
      .sort((a, b) => a.endMs - b.endMs);
    for (const w of due) {
      w.onTime = true;
      if (w.dirty) this.fire(w, 'on-time');
    }
    for (const w of this.windows) {
      if (w.alive && w.onTime && w.endMs + grace <= W) {
        if (w.dirty) this.fire(w, 'late');
        w.alive = false;
      }
    }
  }

  private processingTime(nowMs: number): void {
    if (nowMs > this.now) this.now = nowMs;
    const emit = this.config.emit;
    if (emit.kind !== 'on-update' || emit.throttleMs === 0) return;
    for (const [key, state] of [...this.throttle]) {
      if (state.lastEmit + emit.throttleMs > this.now) continue;
      let fired = false;
      for (const w of state.pending) {
        if (w.alive && w.dirty) {
          this.fire(w, w.onTime ? 'late' : 'early');
          fired = true;
        }
      }
      state.pending = [];
      if (fired) state.lastEmit = this.now;
      else this.throttle.delete(key);
    }
  }
}
