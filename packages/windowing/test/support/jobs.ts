import {
  Aggregates,
  WindowingTestDriver,
  type WindowingOptions,
  type WindowResult,
} from '../../src/index.ts';

/** Values are plain numbers; every job sums and counts them. */
export const sumAndCount = {
  sum: Aggregates.sum((v: number) => v),
  count: Aggregates.count<number>(),
};
export type SumAndCount = { sum: number; count: number };

export function driver(
  options: Omit<WindowingOptions<number, SumAndCount>, 'aggregates'>,
): WindowingTestDriver<string, number, SumAndCount> {
  return new WindowingTestDriver<string, number, SumAndCount>({ ...options, aggregates: sumAndCount });
}

/** A compact view of results: "key [start,end) sum/count timing#firing". */
export function brief(results: readonly WindowResult<string, SumAndCount>[]): string[] {
  return results.map(
    (r) =>
      `${r.key} [${r.window.startMs},${r.window.endMs}) ${r.value.sum}/${r.value.count} ${r.timing}#${r.firing}`,
  );
}
