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
  /** The last timer token handed out; (time, token) is the order the keys' timers fire in. */
  lastToken = 0;

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
        core.touch(key);
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
    const token = ++this.lastToken;
    if (state === undefined) this.keys.set(key, { lastEmitMs: nowMs, token, pending: [] });
    else {
      state.lastEmitMs = nowMs;
      state.token = token;
    }
    this.timers.add(nowMs + this.intervalMs, key, token);
  }

  /** The keys with a throttle. */
  heldKeys(): IterableIterator<K> {
    return this.keys.keys();
  }

  /** The key's throttle, if it has one: when it last emitted, its timer's token, its waiting windows. */
  stateOf(key: K): { lastEmitMs: number; token: number; pending: WindowState<K>[] } | undefined {
    const state = this.keys.get(key);
    if (state === undefined) return undefined;
    return {
      lastEmitMs: state.lastEmitMs,
      token: state.token,
      pending: state.pending.filter((w) => w.alive),
    };
  }

  clear(): void {
    this.keys.clear();
    this.timers.clear();
    this.lastToken = 0;
  }

  /**
   * Restores keys' throttles; each key's one live timer is due at its last emission plus the interval, and
   * timers are re-added in token order, which is the order they fired in before.
   */
  restore(
    entries: readonly { key: K; lastEmitMs: number; token: number; pending: WindowState<K>[] }[],
    lastToken: number,
  ): void {
    this.clear();
    const sorted = [...entries].sort((a, b) => a.token - b.token);
    let previous = 0;
    for (const { key, lastEmitMs, token, pending } of sorted) {
      if (!(token > previous && token <= lastToken) || !Number.isFinite(lastEmitMs) || this.keys.has(key)) {
        throw new Error(`throttle of key ${JSON.stringify(key)} is malformed`);
      }
      previous = token;
      for (const w of pending) w.throttled = true;
      this.keys.set(key, { lastEmitMs, token, pending });
      this.timers.add(lastEmitMs + this.intervalMs, key, token);
    }
    this.lastToken = lastToken;
  }
}
