import { WindowingError, type WindowingErrorCode } from '../errors.ts';

/** Throws `code` unless `value` is a safe integer within [min, max]. */
export function requireInteger(
  code: WindowingErrorCode,
  name: string,
  value: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new WindowingError(code, `${name} must be an integer ${range}, got ${String(value)}`);
  }
}

/** The non-negative remainder of a / b (b > 0), which `%` is not for negative a. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}
