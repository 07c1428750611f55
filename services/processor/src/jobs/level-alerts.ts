import { alertIdFor, SCHEMA_VERSION, type Alert, type CleanReading } from '@tideline/contracts';
import type { Level } from './job-schema.ts';
import type { StatePart } from './state-part.ts';

const Rank = { none: 0, alert: 1, alarm: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];
const NAMES = ['cleared', 'alert', 'alarm'] as const;

/**
 * Alert and alarm evaluation against each instrument's levels, with hysteresis: a reading enters a
 * level when it reaches it, and leaves it only when it falls `hysteresisFraction` of the level below
 * it, so a reading hovering at a level raises one alert, not one per reading. Leaving every level
 * emits `cleared`. Readings are evaluated in log order, so a replay raises the same alerts.
 */
export class LevelAlerts implements StatePart {
  readonly section = 'levels';
  private readonly hysteresisFraction: number;
  private readonly levelsOf: (key: string) => Level | undefined;
  private readonly current = new Map<string, Rank>();
  private readonly dirty = new Set<string>();

  constructor(hysteresisFraction: number, levelsOf: (key: string) => Level | undefined) {
    this.hysteresisFraction = hysteresisFraction;
    this.levelsOf = levelsOf;
  }

  /** The alert this reading raises, if it changes the key's level. */
  evaluate(reading: CleanReading): Alert | undefined {
    const levels = this.levelsOf(reading.key);
    if (levels === undefined) return undefined;
    const v = levels.levelDirection === 'magnitude' ? Math.abs(reading.value) : reading.value;
    const held = this.current.get(reading.key) ?? Rank.none;
    const reached = rankOf(v, levels.alertLevel, levels.alarmLevel);
    const f = this.hysteresisFraction;
    const sticky = rankOf(
      v,
      levels.alertLevel - Math.abs(levels.alertLevel) * f,
      levels.alarmLevel - Math.abs(levels.alarmLevel) * f,
    );
    const next = Math.max(reached, Math.min(held, sticky)) as Rank;
    if (next === held) return undefined;
    if (next === Rank.none) this.current.delete(reading.key);
    else this.current.set(reading.key, next);
    this.dirty.add(reading.key);
    const level = NAMES[next];
    const alert: Alert = {
      schemaVersion: SCHEMA_VERSION,
      alertId: alertIdFor({ feed: reading.feed, key: reading.key, level, eventTimeMs: reading.eventTimeMs }),
      feed: reading.feed,
      key: reading.key,
      level,
      value: reading.value,
      thresholds: { alertLevel: levels.alertLevel, alarmLevel: levels.alarmLevel },
      eventTimeMs: reading.eventTimeMs,
      message:
        next === Rank.none
          ? `${reading.key} back below its alert level ${levels.alertLevel} ${reading.unit}`
          : `${reading.key} at ${reading.value} ${reading.unit} reached its ${level} level ${next === Rank.alarm ? levels.alarmLevel : levels.alertLevel}`,
    };
    return alert;
  }

  get pendingChanges(): number {
    return this.dirty.size;
  }

  takeChanges(): [string, unknown][] {
    const changes: [string, unknown][] = [];
    for (const key of this.dirty) changes.push([key, this.current.get(key) ?? null]);
    this.dirty.clear();
    return changes;
  }

  restore(entries: Iterable<[string, unknown]>): void {
    for (const [key, value] of entries) this.current.set(key, value as Rank);
  }
}

function rankOf(v: number, alertLevel: number, alarmLevel: number): Rank {
  if (v >= alarmLevel) return Rank.alarm;
  if (v >= alertLevel) return Rank.alert;
  return Rank.none;
}
