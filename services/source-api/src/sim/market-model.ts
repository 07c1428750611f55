import type { TradeSide } from '@tideline/contracts';
import { between, gaussian, hashString, roundTo, Stream, uniform, valueNoise } from './random.ts';

/** One symbol of the simulated market, with the parameters of its price walk. */
export interface SymbolModel {
  symbol: string;
  /** Entity number for randomness: a hash of the name, so adding a symbol never changes another. */
  entity: number;
  logBasePrice: number;
  /** Volatility of one trade-to-trade step, in log-price. */
  stepSd: number;
}

const BLOCK_LEVELS = 14;
/** Trades per bridge block (about 4.5 hours at one trade a second). */
const BLOCK = 2 ** BLOCK_LEVELS;
/** The drift of the block ends, in log-price, over a few days. */
const SLOW_AMPLITUDE = 0.15;
const SLOW_SCALE_BLOCKS = 16;

export function symbolModel(seed: number, symbol: string): SymbolModel {
  const entity = hashString(symbol);
  return {
    symbol,
    entity,
    logBasePrice: between(Math.log(5), Math.log(400), seed, Stream.symbolParams, entity, 0),
    stepSd: between(0.0004, 0.0012, seed, Stream.symbolParams, entity, 1),
  };
}

/**
 * The price of the n-th trade of a symbol: a geometric random walk with small steps, to two decimals.
 * To compute any trade on its own it is built as a Brownian bridge inside blocks of 2^14 trades
 * (O(14) hashes per price) whose ends follow a slow smooth drift, so the walk wanders but never
 * drifts off to zero or infinity.
 */
export function tradePrice(seed: number, model: SymbolModel, n: number): number {
  const block = Math.floor(n / BLOCK);
  const i = n - block * BLOCK;
  const slowAt = (b: number) =>
    SLOW_AMPLITUDE * valueNoise(seed, Stream.priceSlow, model.entity, b / SLOW_SCALE_BLOCKS);
  const slow = slowAt(block) + ((slowAt(block + 1) - slowAt(block)) * i) / BLOCK;
  const logPrice = model.logBasePrice + slow + bridge(seed, model, block, i);
  return Math.max(0.01, roundTo(Math.exp(logPrice), 2));
}

/** Value at step i of a random walk of BLOCK steps pinned to 0 at both ends. */
function bridge(seed: number, model: SymbolModel, block: number, i: number): number {
  let lo = 0;
  let hi = BLOCK;
  let atLo = 0;
  let atHi = 0;
  let node = 1;
  while (i !== lo && i !== hi) {
    const mid = (lo + hi) / 2;
    const atMid =
      (atLo + atHi) / 2 +
      model.stepSd *
        Math.sqrt((hi - lo) / 4) *
        gaussian(seed, Stream.priceBridge, model.entity, block * BLOCK * 2 + node);
    if (i < mid) {
      hi = mid;
      atHi = atMid;
      node = node * 2;
    } else {
      lo = mid;
      atLo = atMid;
      node = node * 2 + 1;
    }
  }
  return i === lo ? atLo : atHi;
}

export function tradeSide(seed: number, model: SymbolModel, n: number): TradeSide {
  return uniform(seed, Stream.tradeSide, model.entity, n) < 0.5 ? 'BUY' : 'SELL';
}

/** Whole shares, 1 to 1000 (the original drew U(0, 1000)), most trades small. */
export function tradeQuantity(seed: number, model: SymbolModel, n: number): number {
  return 1 + Math.floor(999 * uniform(seed, Stream.tradeQuantity, model.entity, n) ** 2);
}
