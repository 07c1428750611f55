/**
 * The views the sink keeps, one index template, one alias and one daily index per day each. Views of
 * processor outputs are versioned (`<prefix>-<view>-v<n>-<yyyy.MM.dd>`) so a reprocessing's output can
 * be retired by deleting its indices; the alias `<prefix>-<view>` spans every version (documents carry
 * `jobVersion`).
 */
export const View = {
  readings: 'readings',
  windows: 'windows',
  alerts: 'alerts',
  late: 'late',
  deadLetters: 'deadletters',
  sinkMetrics: 'sinkmetrics',
} as const;
export type View = (typeof View)[keyof typeof View];

const versioned: readonly View[] = [View.readings, View.windows, View.alerts];

export function aliasName(prefix: string, view: View): string {
  return `${prefix}-${view}`;
}

export function indexPattern(prefix: string, view: View): string {
  return `${prefix}-${view}-*`;
}

/** The daily index a document of `view` at `timeMs` belongs in. */
export function dailyIndex(prefix: string, view: View, timeMs: number, jobVersion = 1): string {
  const day = new Date(timeMs).toISOString().slice(0, 10).replaceAll('-', '.');
  return versioned.includes(view) ? `${prefix}-${view}-v${jobVersion}-${day}` : `${prefix}-${view}-${day}`;
}

/** The UTC day (epoch ms of its midnight) of a daily index name of this prefix, if it is one. */
export function dayOfIndex(prefix: string, index: string): number | undefined {
  if (!index.startsWith(`${prefix}-`)) return undefined;
  const match = /-(\d{4})\.(\d{2})\.(\d{2})$/.exec(index);
  if (!match) return undefined;
  const view = index.slice(prefix.length + 1).split('-')[0];
  if (!Object.values(View).includes(view as View)) return undefined;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
