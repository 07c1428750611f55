// The rows both engines are compared on: the final result per (symbol, windowStart, windowEnd).

export interface WindowRow {
  symbol: string;
  windowStartMs: number;
  windowEndMs: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export function rowKey(row: Pick<WindowRow, 'symbol' | 'windowStartMs' | 'windowEndMs'>): string {
  return `${row.symbol}|${row.windowStartMs}|${row.windowEndMs}`;
}

export interface RowComparison {
  expected: number;
  actual: number;
  missing: number;
  unexpected: number;
  /** Present on both sides with a different count, min or max, or an avg off by more than 1e-9 relative. */
  different: number;
  /** A few of the differences, for the log. */
  examples: string[];
}

const AVG_RELATIVE_TOLERANCE = 1e-9;

/** Compares final rows: counts, min and max exactly, avg within 1e-9 relative. */
export function compareRows(
  expected: ReadonlyMap<string, WindowRow>,
  actual: ReadonlyMap<string, WindowRow>,
): RowComparison {
  const result: RowComparison = {
    expected: expected.size,
    actual: actual.size,
    missing: 0,
    unexpected: 0,
    different: 0,
    examples: [],
  };
  const note = (text: string) => {
    if (result.examples.length < 5) result.examples.push(text);
  };
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (!got) {
      result.missing++;
      note(`missing ${key}`);
    } else if (!sameRow(want, got)) {
      result.different++;
      note(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  for (const key of actual.keys()) {
    if (!expected.has(key)) {
      result.unexpected++;
      note(`unexpected ${key}`);
    }
  }
  return result;
}

function sameRow(a: WindowRow, b: WindowRow): boolean {
  if (a.count !== b.count || a.min !== b.min || a.max !== b.max) return false;
  const scale = Math.max(Math.abs(a.avg), Math.abs(b.avg), Number.MIN_VALUE);
  return Math.abs(a.avg - b.avg) / scale <= AVG_RELATIVE_TOLERANCE;
}
