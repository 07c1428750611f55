/**
 * Counter-based randomness: every random number is a hash of (seed, stream, coordinates), never the
 * next draw of a stateful generator. Any reading at any time can be computed on its own, in any
 * order, so a cursor replays exactly and a restarted source answers the same history.
 */

const TWO_32 = 4_294_967_296;

/** Folds one integer (up to 2^53, negatives wrap) into a 32-bit hash state. */
function fold(state: number, value: number): number {
  const lo = value >>> 0;
  const hi = Math.floor(value / TWO_32) >>> 0;
  let h = Math.imul(state ^ lo, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
  h = Math.imul(h ^ hi, 0x85ebca6b);
  return (h << 13) | (h >>> 19);
}

/** Murmur3's finalizer: spreads every input bit over the output. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a seed, a stream (what the number is for) and up to three integer coordinates. */
export function hash(seed: number, stream: number, a = 0, b = 0, c = 0): number {
  return finish(fold(fold(fold(fold(seed ^ 0x9e3779b9, stream), a), b), c));
}

/** Uniform in [0, 1). */
export function uniform(seed: number, stream: number, a = 0, b = 0, c = 0): number {
  return hash(seed, stream, a, b, c) / TWO_32;
}

/** Uniform in [min, max). */
export function between(min: number, max: number, seed: number, stream: number, a = 0, b = 0): number {
  return min + (max - min) * uniform(seed, stream, a, b);
}

/** Standard normal (Box-Muller over two independent hashes). */
export function gaussian(seed: number, stream: number, a = 0, b = 0): number {
  const u1 = (hash(seed, stream, a, b, 1) + 1) / (TWO_32 + 1);
  const u2 = hash(seed, stream, a, b, 2) / TWO_32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Smooth value noise in [-1, 1]: random knots at the integers of `x`, joined by smoothstep.
 * Gives slow, continuous drift that can be evaluated at any point.
 */
export function valueNoise(seed: number, stream: number, entity: number, x: number): number {
  const k = Math.floor(x);
  const f = x - k;
  const a = uniform(seed, stream, entity, k) * 2 - 1;
  const b = uniform(seed, stream, entity, k + 1) * 2 - 1;
  return a + (b - a) * f * f * (3 - 2 * f);
}

/** A stable 32-bit hash of a string (FNV-1a), so an entity's randomness depends on its name, not its position. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Streams: one constant per purpose, so two uses of randomness never share numbers. */
export const Stream = {
  catalogue: 1,
  phase: 2,
  trendSlow: 3,
  trendFast: 4,
  noise: 5,
  excursion: 6,
  symbolParams: 10,
  priceBridge: 11,
  priceSlow: 12,
  tradeJitter: 13,
  tradeSide: 14,
  tradeQuantity: 15,
  sensorPhase: 20,
  sensorJitter: 21,
  sensorDropout: 22,
  sensorDrift: 23,
  faultBurst: 30,
  faultBurstEntity: 31,
  faultDuplicate: 32,
  faultOutOfOrder: 33,
  faultLate: 34,
  faultNull: 35,
  faultMalformed: 36,
  faultVariant: 37,
  faultError: 38,
} as const;

/** Rounds to a number of decimals the way a logger or an exchange prints it. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
