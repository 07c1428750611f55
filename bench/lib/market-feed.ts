// The benchmark feed: market trades exactly as ingest writes them on raw.market.trades (a MarketTrade
// with its deterministic eventId, JSON in ingest's field order, keyed by symbol), with event times that
// advance like a real feed: bounded disorder, and now and then an event far too late for any window.
import { Feed, SCHEMA_VERSION, TradeSide, withEventId, type MarketTrade } from '@tideline/contracts';
import { seededRandom } from './seeded-random.ts';

export const BENCH_SYMBOLS: readonly string[] = Array.from(
  { length: 50 },
  (_, i) => `BX${String(i).padStart(2, '0')}`,
);

export interface MarketFeedOptions {
  seed: number;
  symbols?: readonly string[];
  /** Events are at most this much older than the feed's clock (uniformly spread). */
  maxDisorderMs?: number;
  /** One event in `lateEvery` is `lateByMs` behind the feed's clock: late for every window it touches. */
  lateEvery?: number;
  lateByMs?: number;
  /** No late events during the feed's first `lateAfterMs` of event time (every partition has data by then). */
  lateAfterMs?: number;
  source?: string;
}

export interface FeedEvent {
  trade: MarketTrade;
  /** The record ingest would write: topic key and JSON value. */
  key: string;
  value: string;
  /** Generated late on purpose: no engine may count it in a window result. */
  late: boolean;
}

/** Defaults: disorder up to 1 s and late events 30 s behind, both far from the jobs' 5 s of grace. */
export const FEED_DEFAULTS = {
  maxDisorderMs: 1000,
  lateEvery: 10_000,
  lateByMs: 30_000,
  lateAfterMs: 40_000,
} as const;

export class MarketFeed {
  readonly symbols: readonly string[];
  readonly #random: () => number;
  readonly #prices: number[];
  readonly #options: Required<Omit<MarketFeedOptions, 'seed' | 'symbols'>>;
  #index = 0;
  #firstClockMs: number | undefined;

  constructor(options: MarketFeedOptions) {
    this.symbols = options.symbols ?? BENCH_SYMBOLS;
    this.#random = seededRandom(options.seed);
    this.#prices = this.symbols.map(() => 10 + Math.round(this.#random() * 9000) / 100);
    this.#options = { ...FEED_DEFAULTS, source: 'bench', ...options };
  }

  /** The next trade, at the feed's clock `clockMs` (minus its disorder, or far behind when late). */
  next(clockMs: number): FeedEvent {
    this.#firstClockMs ??= clockMs;
    const { maxDisorderMs, lateEvery, lateByMs, lateAfterMs } = this.#options;
    const index = this.#index++;
    const symbolIndex = Math.floor(this.#random() * this.symbols.length);
    const late = clockMs - this.#firstClockMs >= lateAfterMs && index % lateEvery === lateEvery - 1;
    const eventTimeMs = late
      ? Math.floor(clockMs - lateByMs)
      : Math.floor(clockMs - this.#random() * maxDisorderMs);
    return this.#event(symbolIndex, eventTimeMs, late);
  }

  /**
   * One trade per symbol `aheadMs` after `clockMs`: moves every partition's event time past the end
   * and grace of every window before it, so each engine emits all of them.
   */
  flush(clockMs: number, aheadMs = 60_000): FeedEvent[] {
    return this.symbols.map((_, i) => this.#event(i, Math.floor(clockMs + aheadMs), false));
  }

  #event(symbolIndex: number, eventTimeMs: number, late: boolean): FeedEvent {
    const step = (this.#random() - 0.5) * 0.2;
    const price = Math.max(0.01, Math.round(((this.#prices[symbolIndex] ?? 10) + step) * 100) / 100);
    this.#prices[symbolIndex] = price;
    const symbol = this.symbols[symbolIndex] ?? 'BX00';
    // Field order as ingest's draftOf, then withEventId appends eventId: the same bytes as ingest's.
    const trade = withEventId({
      schemaVersion: SCHEMA_VERSION,
      feed: Feed.market,
      symbol,
      side: this.#random() < 0.5 ? TradeSide.buy : TradeSide.sell,
      price,
      quantity: 1 + Math.floor(this.#random() * 1000),
      eventTimeMs,
      source: this.#options.source,
    }) as MarketTrade;
    return { trade, key: symbol, value: JSON.stringify(trade), late };
  }
}
