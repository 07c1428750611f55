import type { Borehole } from './catalogue.ts';
import { gaussian, roundTo, Stream, uniform, valueNoise } from './random.ts';

const HOUR_MS = 3_600_000;
const SLOW_SCALE_MS = 12 * HOUR_MS;
const FAST_SCALE_MS = HOUR_MS;
/** Each borehole gets at most one excursion per window, with this probability. */
const EXCURSION_WINDOW_MS = 6 * HOUR_MS;
const EXCURSION_PROBABILITY = 0.2;
const EXCURSION_MIN_MS = 20 * 60_000;
const EXCURSION_MAX_MS = 90 * 60_000;

/**
 * The reading of a borehole at a time, like real ground: a baseline, a slow and a faster drift,
 * reading-to-reading noise, and now and then an excursion that rises smoothly past the alert level
 * (sometimes past the alarm level) and falls back. Pure: the same seed, borehole and time give the
 * same reading, to two decimals as the original API printed them.
 */
export function geotechReading(seed: number, borehole: Borehole, timeMs: number): number {
  const e = borehole.index;
  const normal =
    borehole.baseline +
    borehole.slowAmplitude * valueNoise(seed, Stream.trendSlow, e, timeMs / SLOW_SCALE_MS) +
    borehole.fastAmplitude * valueNoise(seed, Stream.trendFast, e, timeMs / FAST_SCALE_MS);
  const noise = borehole.noiseSd * gaussian(seed, Stream.noise, e, timeMs);
  return roundTo(withExcursion(seed, borehole, timeMs, normal) + noise, 2);
}

function withExcursion(seed: number, borehole: Borehole, timeMs: number, normal: number): number {
  const e = borehole.index;
  // Windows are shifted per borehole so excursions do not line up across the site.
  const shift = Math.floor(uniform(seed, Stream.excursion, e, -1) * EXCURSION_WINDOW_MS);
  const window = Math.floor((timeMs + shift) / EXCURSION_WINDOW_MS);
  if (uniform(seed, Stream.excursion, e, window, 0) >= EXCURSION_PROBABILITY) return normal;
  const durationMs =
    EXCURSION_MIN_MS + (EXCURSION_MAX_MS - EXCURSION_MIN_MS) * uniform(seed, Stream.excursion, e, window, 1);
  const startMs =
    window * EXCURSION_WINDOW_MS -
    shift +
    (EXCURSION_WINDOW_MS - durationMs) * uniform(seed, Stream.excursion, e, window, 2);
  if (timeMs < startMs || timeMs >= startMs + durationMs) return normal;
  const { alertLevel, alarmLevel, levelDirection } = borehole.instrument;
  // Peak between just past the alert level and a little past the alarm level.
  const severity = 0.15 + 1.25 * uniform(seed, Stream.excursion, e, window, 3);
  let target = alertLevel + severity * (alarmLevel - alertLevel);
  if (levelDirection === 'magnitude' && uniform(seed, Stream.excursion, e, window, 4) < 0.5) target = -target;
  const shape = Math.sin((Math.PI * (timeMs - startMs)) / durationMs) ** 2;
  return normal + (target - normal) * shape;
}
