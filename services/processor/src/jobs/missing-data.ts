import { alertIdFor, SCHEMA_VERSION, type Alert, type Feed } from '@tideline/contracts';
import type { StatePart } from './state-part.ts';

interface KeyState {
  lastEventMs: number;
  missing: boolean;
}

/**
 * A key that sends nothing for a whole window (aligned to the epoch, `windowMs` long) is missing: once
 * the watermark has passed the end of the first empty window after its latest event, one
 * `missing_data` alert is raised; the key's next record raises `cleared`. Judged in event time, so a
 * replay raises the same alerts; a partition that receives nothing at all holds its watermark, and
 * with it this judgement, until it receives data again (consumer lag and idleness show that case).
 */
export class MissingData implements StatePart {
  readonly section = 'missing';
  private readonly feed: Feed;
  private readonly windowMs: number;
  private readonly keys = new Map<string, KeyState>();
  private readonly dirty = new Set<string>();

  constructor(feed: Feed, windowMs: number) {
    this.feed = feed;
    this.windowMs = windowMs;
  }

  /** Records a key's event; returns the `cleared` alert when the key was missing. */
  seen(key: string, eventTimeMs: number, value: number): Alert | undefined {
    const state = this.keys.get(key);
    if (state === undefined) {
      this.keys.set(key, { lastEventMs: eventTimeMs, missing: false });
      this.dirty.add(key);
      return undefined;
    }
    const wasMissing = state.missing;
    if (eventTimeMs > state.lastEventMs || wasMissing) {
      state.lastEventMs = Math.max(state.lastEventMs, eventTimeMs);
      state.missing = false;
      this.dirty.add(key);
    }
    if (!wasMissing) return undefined;
    return this.alert(key, 'cleared', value, eventTimeMs, `${key} sends data again`);
  }

  /** The `missing_data` alerts due at this watermark. */
  check(watermarkMs: number): Alert[] {
    const alerts: Alert[] = [];
    for (const [key, state] of this.keys) {
      if (state.missing) continue;
      const emptyStart = Math.floor(state.lastEventMs / this.windowMs) * this.windowMs + this.windowMs;
      if (watermarkMs < emptyStart + this.windowMs) continue;
      state.missing = true;
      this.dirty.add(key);
      const message = `${key} sent nothing in [${new Date(emptyStart).toISOString()}, +${this.windowMs / 1000} s)`;
      alerts.push(this.alert(key, 'missing_data', null, emptyStart, message));
    }
    return alerts;
  }

  get pendingChanges(): number {
    return this.dirty.size;
  }

  takeChanges(): [string, unknown][] {
    const changes: [string, unknown][] = [];
    for (const key of this.dirty) {
      const s = this.keys.get(key);
      changes.push([key, s === undefined ? null : [s.lastEventMs, s.missing]]);
    }
    this.dirty.clear();
    return changes;
  }

  restore(entries: Iterable<[string, unknown]>): void {
    for (const [key, value] of entries) {
      const [lastEventMs, missing] = value as [number, boolean];
      this.keys.set(key, { lastEventMs, missing });
    }
  }

  private alert(
    key: string,
    level: 'missing_data' | 'cleared',
    value: number | null,
    eventTimeMs: number,
    message: string,
  ): Alert {
    return {
      schemaVersion: SCHEMA_VERSION,
      alertId: alertIdFor({ feed: this.feed, key, level, eventTimeMs }),
      feed: this.feed,
      key,
      level,
      value,
      thresholds: { missingAfterMs: this.windowMs },
      eventTimeMs,
      message,
    };
  }
}
