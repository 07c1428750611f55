import { badRequest, QueryErrorCode } from '../errors.ts';

/** A time in a query string: epoch milliseconds, or an ISO 8601 date-time with a zone. */
export const TIME_PATTERN =
  '^(\\d{1,15}|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))$';

/** A bucket size: a number and a unit (ms, s, m, h, d), or `raw` for no downsampling. */
export const RESOLUTION_PATTERN = '^(raw|\\d{1,6}(ms|s|m|h|d))$';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_BUCKET_MS = 1000;
const MAX_BUCKET_MS = 31 * 86_400_000;

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

export function parseTimeMs(text: string, field: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 8_640_000_000_000_000)
    throw badRequest(QueryErrorCode.invalidTime, `${field} is not a valid time`, { field });
  return ms;
}

/**
 * The half-open range [from, to) of a query: `to` defaults to now, `from` to `to` minus the default
 * span; an empty, inverted or too long range is refused rather than clipped, so a client never
 * mistakes a partial answer for the whole.
 */
export function parseTimeRange(
  query: { from?: string; to?: string },
  limits: { maxRangeMs: number; defaultSpanMs: number; nowMs: number },
): TimeRange {
  const toMs = query.to === undefined ? limits.nowMs : parseTimeMs(query.to, 'to');
  const fromMs = query.from === undefined ? toMs - limits.defaultSpanMs : parseTimeMs(query.from, 'from');
  if (fromMs >= toMs) throw badRequest(QueryErrorCode.invalidRange, '`from` must be before `to`');
  if (toMs - fromMs > limits.maxRangeMs)
    throw badRequest(QueryErrorCode.invalidRange, `the range is longer than ${limits.maxRangeMs} ms`, {
      maxRangeMs: limits.maxRangeMs,
    });
  return { fromMs: Math.max(0, fromMs), toMs };
}

/** The bucket size of a resolution in ms, or undefined for `raw`. */
export function parseResolutionMs(resolution: string | undefined): number | undefined {
  if (resolution === undefined || resolution === 'raw') return undefined;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(resolution);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms >= MIN_BUCKET_MS && ms <= MAX_BUCKET_MS))
    throw badRequest(QueryErrorCode.invalidRange, `resolution must be between 1s and 31d`, { resolution });
  return ms;
}
