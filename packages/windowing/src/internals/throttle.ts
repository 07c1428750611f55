import { FiringTiming } from '../output.ts';
import type { Core } from './core.ts';
import { TimerQueue } from './timer-queue.ts';
import type { WindowState } from './window-state.ts';

interface KeyThrottle<K> {
  lastEmitMs: number;
  token: number;
  pending: WindowState<K>[];
}

/**
 * Early firings of onUpdate, at most one burst per key per interval of processing time. The first change
 * after a quiet interval fires at once; changes within the interval wait, and the key's waiting windows fire
 * together when the caller advances processing time past the interval's end. On-time and late firings are
 * never throttled: they follow the watermark.
 */
export class Throttle<K> {
  readonly intervalMs: number;
  private readonly keys = new Map<K, KeyThrottle<K>>();
  private readonly timers = new TimerQueue<K>();
  private nextToken = 0;

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  request(w: WindowState<K>, core: Core<K, unknown>): void {
    const state = this.keys.get(w.key);
    if (state === undefined || core.processingTimeMs >= state.lastEmitMs + this.intervalMs) {
      core.fire(w, FiringTiming.early);
      this.emitted(w.key, state, core.processingTimeMs);
    } else if (!w.throttled) {
      w.throttled = true;
      state.pending.push(w);
    }
  }

  onProcessingTime(core: Core<K, unknown>): void {
    const nowMs = core.processingTimeMs;
    while (this.timers.hasDue(nowMs)) {
      const { entries, tokens } = this.timers.pop() as { entries: K[]; tokens: number[] };
      for (let i = 0; i < entries.length; i++) {
        const key = entries[i] as K;
        const state = this.keys.get(key);
        if (state === undefined || state.token !== tokens[i]) continue;
        const pending = state.pending;
        state.pending = [];
        let fired = false;
        for (const w of pending) {
          w.throttled = false;
          if (w.alive && w.dirty) {
            core.fire(w, w.onTime ? FiringTiming.late : FiringTiming.early);
            fired = true;
          }
        }
        if (fired) this.emitted(key, state, nowMs);
        else this.keys.delete(key);
      }
    }
  }

  private emitted(key: K, state: KeyThrottle<K> | undefined, nowMs: number): void {
    const token = ++this.nextToken;
    if (state === undefined) this.keys.set(key, { lastEmitMs: nowMs, token, pending: [] });
    else {
      state.lastEmitMs = nowMs;
      state.token = token;
    }
    this.timers.add(nowMs + this.intervalMs, key, token);
  }

  snapshot(indexOf: (w: WindowState<K>) => number | undefined): ThrottleSnapshot<K> {
    const keys: ThrottleSnapshot<K>['keys'] = [];
    for (const [key, state] of this.keys) {
      const pending: number[] = [];
      for (const w of state.pending) {
        const index = w.alive ? indexOf(w) : undefined;
        if (index !== undefined) pending.push(index);
      }
      keys.push([key, state.lastEmitMs, pending]);
    }
    const timers: [number, K][] = [];
    for (const { timeMs, entry, token } of this.timers.entries()) {
      if (this.keys.get(entry)?.token === token) timers.push([timeMs, entry]);
    }
    return { keys, timers };
  }

  restore(snapshot: ThrottleSnapshot<K>, windows: readonly WindowState<K>[]): void {
    this.keys.clear();
    this.timers.clear();
    this.nextToken = 0;
    for (const [key, lastEmitMs, pending] of snapshot.keys) {
      const list = pending.map((index) => windows[index] as WindowState<K>);
      for (const w of list) w.throttled = true;
      this.keys.set(key, { lastEmitMs, token: 0, pending: list });
    }
    for (const [timeMs, key] of snapshot.timers) {
      const state = this.keys.get(key);
      if (state === undefined) continue;
      state.token = ++this.nextToken;
      this.timers.add(timeMs, key, state.token);
    }
  }
}

export interface ThrottleSnapshot<K> {
  keys: [K, number, number[]][];
  timers: [number, K][];
}
