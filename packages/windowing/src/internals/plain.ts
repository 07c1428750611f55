import { WindowingError, WindowingErrorCodes } from '../errors.ts';

// JSON has no NaN, no infinities and no negative zero, yet accumulators and watermarks hold them
// (an empty min, a watermark before any event). Snapshots therefore encode such numbers as
// { "$num": "..." } and escape any object that happens to use one of the two tag keys.
const NUM = '$num';
const ESC = '$esc';

/** A deep copy of `value` that survives JSON.stringify / JSON.parse unchanged. */
export function toPlain(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return value === value && value !== Infinity && value !== -Infinity && (value !== 0 || 1 / value > 0)
        ? value
        : encodeNumber(value);
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) copy[i] = toPlain(value[i]);
        return copy;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) break;
      const source = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      let tagged = false;
      for (const k in source) {
        const v = source[k];
        if (v === undefined) continue;
        if (k === NUM || k === ESC) tagged = true;
        copy[k] = toPlain(v);
      }
      return tagged ? { [ESC]: copy } : copy;
    }
    default:
      break;
  }
  throw new WindowingError(
    WindowingErrorCodes.snapshotInvalid,
    `state holds ${describe(value)}, which is not plain data: accumulators, keys and values must be JSON-like`,
  );
}

/** The inverse of toPlain. */
export function fromPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = fromPlain(value[i]);
    return copy;
  }
  const record = value as Record<string, unknown>;
  if (NUM in record) return decodeNumber(record[NUM]);
  const source = ESC in record ? (record[ESC] as Record<string, unknown>) : record;
  const copy: Record<string, unknown> = {};
  for (const k in source) copy[k] = fromPlain(source[k]);
  return copy;
}

function encodeNumber(value: number): { [NUM]: string } {
  return { [NUM]: Object.is(value, -0) ? '-0' : String(value) };
}

function decodeNumber(text: unknown): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      throw new WindowingError(WindowingErrorCodes.snapshotInvalid, `bad encoded number ${String(text)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  }
  return typeof value;
}
