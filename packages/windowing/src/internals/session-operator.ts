import type { Aggregate } from '../aggregate.ts';
import type { SessionWindows } from '../session-windows.ts';
import type { Core, WindowOperator } from './core.ts';
import { WindowState } from './window-state.ts';

/**
 * Session windows. Each key keeps its sessions sorted by start and disjoint. An event at t proposes
 * [t, t + gap); the sessions it overlaps merge with it into one, whose accumulators are merged in start
 * order before the event is added. An event that overlaps no session and whose own session would already be
 * past end + grace is late (Flink's rule: lateness is judged after merging).
 */
export class SessionOperator<K, V> implements WindowOperator<K, V> {
  private readonly core: Core<K, V>;
  private readonly gapMs: number;
  private readonly graceMs: number;
  readonly keys = new Map<K, WindowState<K>[]>();
  private windows = 0;

  constructor(core: Core<K, V>, spec: SessionWindows) {
    this.core = core;
    this.gapMs = spec.gapMs;
    this.graceMs = spec.graceMs;
  }

  get keyCount(): number {
    return this.keys.size;
  }

  get windowCount(): number {
    return this.windows;
  }

  process(
    key: K,
    value: V,
    t: number,
    sequence: number,
    partition: number,
    eventId: string | undefined,
  ): void {
    const core = this.core;
    const watermarkMs = core.watermarks.currentMs;
    const endMs = t + this.gapMs;
    core.touch(key);
    let sessions = this.keys.get(key);
    let i = 0;
    let j = 0;
    if (sessions !== undefined) {
      while (i < sessions.length && (sessions[i] as WindowState<K>).endMs <= t) i++;
      j = i;
      while (j < sessions.length && (sessions[j] as WindowState<K>).startMs < endMs) j++;
    }
    let w: WindowState<K>;
    if (i === j) {
      if (endMs + this.graceMs <= watermarkMs) {
        core.late(key, value, t, partition, eventId, [{ startMs: t, endMs }]);
        return;
      }
      if (sessions === undefined) {
        sessions = [];
        this.keys.set(key, sessions);
      }
      w = new WindowState<K>(key, t, endMs, core.newAccumulators());
      w.onTime = endMs <= watermarkMs;
      sessions.splice(i, 0, w);
      this.windows++;
    } else {
      w = (sessions as WindowState<K>[])[i] as WindowState<K>;
      const startMs = Math.min(t, w.startMs);
      const mergedEndMs = Math.max(endMs, ((sessions as WindowState<K>[])[j - 1] as WindowState<K>).endMs);
      if (j - i > 1 || startMs !== w.startMs || mergedEndMs !== w.endMs) {
        this.merge(sessions as WindowState<K>[], i, j);
        w.startMs = startMs;
        w.endMs = mergedEndMs;
        w.onTime = mergedEndMs <= watermarkMs;
      }
    }
    core.add(w, value, t, sequence);
    if (w.onTime) core.counters.lateAccepted++;
    core.schedule(w);
    core.changed(w);
  }

  /** Folds sessions i+1 .. j-1 into session i, retracting what any of them emitted under its old bounds. */
  private merge(sessions: WindowState<K>[], i: number, j: number): void {
    const core = this.core;
    const aggregates = core.aggregates;
    const w = sessions[i] as WindowState<K>;
    for (let k = i; k < j; k++) core.retract(sessions[k] as WindowState<K>);
    for (let k = i + 1; k < j; k++) {
      const other = sessions[k] as WindowState<K>;
      for (let a = 0; a < aggregates.length; a++) {
        w.accs[a] = (aggregates[a] as Aggregate<V>).merge(w.accs[a], other.accs[a]);
      }
      w.events += other.events;
      w.pane += other.pane;
      w.dirty ||= other.dirty;
      if (other.firings > w.firings) w.firings = other.firings;
      other.alive = false;
      other.timerToken = 0;
    }
    if (j - i > 1) {
      sessions.splice(i + 1, j - i - 1);
      this.windows -= j - i - 1;
    }
  }

  remove(w: WindowState<K>): void {
    const sessions = this.keys.get(w.key);
    if (sessions === undefined) return;
    const index = sessions.indexOf(w);
    if (index < 0) return;
    sessions.splice(index, 1);
    this.windows--;
    if (sessions.length === 0) this.keys.delete(w.key);
  }

  /** The key's sessions by start (empty when it has none). */
  windowsOf(key: K): WindowState<K>[] {
    const sessions = this.keys.get(key);
    return sessions === undefined ? [] : [...sessions];
  }

  untouch(_key: K): void {
    // Sessions record every change in the core directly.
  }

  restoreKey(key: K, windows: WindowState<K>[]): void {
    if (this.keys.has(key)) throw new Error(`key ${JSON.stringify(key)} restored twice`);
    for (let i = 1; i < windows.length; i++) {
      if ((windows[i - 1] as WindowState<K>).endMs > (windows[i] as WindowState<K>).startMs) {
        throw new Error(`the sessions of key ${JSON.stringify(key)} overlap or are out of order`);
      }
    }
    this.keys.set(key, [...windows]);
    this.windows += windows.length;
  }

  clear(): void {
    this.keys.clear();
    this.windows = 0;
  }
}
