import type { WindowRow } from './window-rows.ts';
import { rowKey } from './window-rows.ts';

/**
 * The expected results of the market job, computed while the feed is generated: every epoch-aligned
 * hopping window of each on-time trade, sums added in arrival order (as both engines do). Late trades
 * are left out; the benchmark makes them late by far more than any engine's grace.
 */
export class HoppingReference {
  readonly #sizeMs: number;
  readonly #advanceMs: number;
  readonly #windows = new Map<string, WindowRow & { sum: number }>();

  constructor(options: { sizeMs: number; advanceMs: number }) {
    this.#sizeMs = options.sizeMs;
    this.#advanceMs = options.advanceMs;
  }

  add(symbol: string, eventTimeMs: number, price: number): void {
    const lastStart = Math.floor(eventTimeMs / this.#advanceMs) * this.#advanceMs;
    for (let start = lastStart; start > eventTimeMs - this.#sizeMs; start -= this.#advanceMs) {
      const row = { symbol, windowStartMs: start, windowEndMs: start + this.#sizeMs };
      const key = rowKey(row);
      let window = this.#windows.get(key);
      if (!window) {
        window = { ...row, sum: 0, count: 0, avg: 0, min: Infinity, max: -Infinity };
        this.#windows.set(key, window);
      }
      window.count++;
      window.sum += price;
      if (price < window.min) window.min = price;
      if (price > window.max) window.max = price;
    }
  }

  /** The final row of every window, keyed by rowKey. */
  rows(): Map<string, WindowRow> {
    const rows = new Map<string, WindowRow>();
    for (const [key, { sum, ...row }] of this.#windows) rows.set(key, { ...row, avg: sum / row.count });
    return rows;
  }
}
