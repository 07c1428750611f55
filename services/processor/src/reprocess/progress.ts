/** Progress of a catch-up: records done out of a total, a smoothed rate and an estimated time left. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly recordsPerSecond: number;
  readonly etaSeconds: number | undefined;
}

/**
 * Follows the lag of a consumer group over time. The total is the backlog when tracking began plus
 * what arrived since (the lag can only fall to zero once the job has caught up with new data too).
 */
export class ProgressTracker {
  private readonly startedAtMs: number;
  private total: number;
  private lastDone = 0;
  private lastAtMs: number;
  private rate = 0;

  constructor(backlog: number, nowMs: number) {
    this.total = backlog;
    this.startedAtMs = nowMs;
    this.lastAtMs = nowMs;
  }

  /** Records the current lag and the records appended to the inputs since tracking began. */
  update(lag: number, appendedSince: number, nowMs: number): Progress {
    const total = this.total + appendedSince;
    const done = Math.max(0, total - lag);
    const dt = (nowMs - this.lastAtMs) / 1000;
    if (dt > 0) {
      const instant = (done - this.lastDone) / dt;
      // An exponential average over a few seconds: steady enough to read, quick to follow changes.
      this.rate = this.lastDone === 0 && this.rate === 0 ? instant : 0.7 * this.rate + 0.3 * instant;
      this.lastDone = done;
      this.lastAtMs = nowMs;
    }
    const etaSeconds = lag === 0 ? 0 : this.rate > 0 ? lag / this.rate : undefined;
    return { done, total, recordsPerSecond: this.rate, etaSeconds };
  }

  get elapsedSeconds(): number {
    return (this.lastAtMs - this.startedAtMs) / 1000;
  }
}

/** One line: a bar, the percentage, records, rate and ETA (for a terminal's carriage-return redraw). */
export function formatProgress(p: Progress, width = 30): string {
  const fraction = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const eta = p.etaSeconds === undefined ? '?' : `${Math.ceil(p.etaSeconds)} s`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `[${bar}] ${(fraction * 100).toFixed(1)}% ${n(p.done)}/${n(p.total)} records, ${n(p.recordsPerSecond)} records/s, ETA ${eta}`;
}
