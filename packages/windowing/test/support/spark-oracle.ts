// A literal, independent simulation of Spark 3.5's micro-batch execution of
//   withWatermark(delay).groupBy(window(t, size, slide), key).agg(sum, count, min, max)   -- append
// written from Spark's operators rather than from the engine: per batch, the partial aggregate of each
// (window, key) over the batch's rows in order, StateStoreRestore (stored row, then the partial) into a
// merge starting from 0, the late filter with the previous batch's eviction watermark, eviction with the
// batch's own, the watermark moved after the batch, and a no-data batch when it moved.

export interface SparkOracleRow {
  batch: number;
  key: string;
  startMs: number;
  endMs: number;
  sum: number;
  count: number;
  min: number;
  max: number;
}

interface Buffer {
  sum: number;
  count: number;
  min: number;
  max: number;
}

export function sparkOracle(
  batches: readonly (readonly { key: string; value: number; t: number }[])[],
  sizeMs: number,
  slideMs: number,
  delayMs: number,
): { rows: SparkOracleRow[]; batchesRun: number } {
  const state = new Map<string, Buffer & { key: string; startMs: number }>();
  const rows: SparkOracleRow[] = [];
  let globalWatermark = 0;
  const evictionByBatch: number[] = [];
  let batchId = 0;
  const runBatch = (input: readonly { key: string; value: number; t: number }[]) => {
    const eviction = Math.max(globalWatermark, 0);
    const late = batchId === 0 ? 0 : (evictionByBatch[batchId - 1] as number);
    // Partial aggregation (HashAggregate, Partial), rows in order, windows from TimeWindowing.
    const partials = new Map<string, Buffer & { key: string; startMs: number }>();
    for (const row of input) {
      const lastStart = row.t - (((row.t % slideMs) + slideMs) % slideMs);
      for (let start = lastStart; start > row.t - sizeMs; start -= slideMs) {
        const id = `${row.key}|${start}`;
        let p = partials.get(id);
        if (p === undefined) {
          p = { key: row.key, startMs: start, sum: 0, count: 0, min: Infinity, max: -Infinity };
          partials.set(id, p);
        }
        p.sum = p.sum + row.value;
        p.count++;
        p.min = Math.min(p.min, row.value);
        p.max = Math.max(p.max, row.value);
      }
    }
    // StateStoreRestore + merge (stored row first), late filter, StateStoreSave.
    for (const [id, p] of partials) {
      const stored = state.get(id);
      const merged = { key: p.key, startMs: p.startMs, sum: 0, count: 0, min: Infinity, max: -Infinity };
      for (const b of stored === undefined ? [p] : [stored, p]) {
        merged.sum = merged.sum + b.sum;
        merged.count += b.count;
        merged.min = Math.min(merged.min, b.min);
        merged.max = Math.max(merged.max, b.max);
      }
      if (merged.startMs + sizeMs <= late) continue;
      state.set(id, merged);
    }
    for (const [id, s] of state) {
      if (s.startMs + sizeMs <= eviction) {
        rows.push({ batch: batchId, key: s.key, startMs: s.startMs, endMs: s.startMs + sizeMs, ...pick(s) });
        state.delete(id);
      }
    }
    evictionByBatch[batchId] = eviction;
    if (input.length > 0) {
      const next = Math.max(...input.map((r) => r.t)) - delayMs;
      if (next > globalWatermark) globalWatermark = next;
    }
    batchId++;
  };
  for (const input of batches) runBatch(input);
  if (batchId > 0 && globalWatermark > (evictionByBatch[batchId - 1] as number)) runBatch([]);
  return { rows, batchesRun: batchId };
}

function pick(b: Buffer): Buffer {
  return { sum: b.sum, count: b.count, min: b.min, max: b.max };
}
