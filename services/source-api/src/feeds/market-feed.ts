import type { SourceTrade } from '@tideline/contracts';
import { symbolModel, tradePrice, tradeQuantity, tradeSide, type SymbolModel } from '../sim/market-model.ts';
import { hashString, Stream, uniform } from '../sim/random.ts';
import type { Entry, FeedModel } from './feed.ts';

export interface MarketFeedOptions {
  seed: number;
  symbols: readonly string[];
  /** Each symbol trades once per interval, at a random moment within it. */
  intervalMs: number;
}

/** The trades feed: one trade per symbol per interval, the n-th trade of a symbol priced by its walk. */
export function createMarketFeed(
  options: MarketFeedOptions,
): FeedModel<SourceTrade> & { models: readonly SymbolModel[] } {
  const { seed, intervalMs } = options;
  const models = options.symbols.map((symbol) => symbolModel(seed, symbol));
  return {
    feed: 'market',
    salt: 2,
    slotMs: intervalMs,
    fingerprint: hashString(`market|${seed}|${intervalMs}|${options.symbols.join(',')}`).toString(36),
    entityCount: models.length,
    models,
    entries(slot: number): Entry[] {
      const startMs = slot * intervalMs;
      const entries = models.map((model, entity) => {
        const timeMs =
          startMs + Math.floor(uniform(seed, Stream.tradeJitter, model.entity, slot) * intervalMs);
        return { entity, timeMs, availableAtMs: timeMs, flags: 0 };
      });
      return entries.sort((a, b) => a.timeMs - b.timeMs || a.entity - b.entity);
    },
    item(entity: number, timeMs: number): SourceTrade {
      const model = models[entity] as SymbolModel;
      const n = Math.floor(timeMs / intervalMs);
      return {
        symbol: model.symbol,
        side: tradeSide(seed, model, n),
        price: tradePrice(seed, model, n),
        quantity: tradeQuantity(seed, model, n),
        eventTimeMs: timeMs,
      };
    },
    corruption: {
      numbers: ['price', 'quantity'],
      time: { field: 'eventTimeMs', format: 'epochMs' },
      strings: ['symbol', 'side'],
      misspell: {
        side: (side) => [`${side} `, side.toLowerCase()],
        symbol: (symbol) => [symbol.toLowerCase(), ` ${symbol}`],
      },
    },
  };
}
