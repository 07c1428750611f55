/**
 * What a window's successive firings carry (Beam / Flink vocabulary):
 * - accumulating: each result covers every event of the window so far;
 * - discarding: each result covers only the events since the window's previous firing;
 * - accumulating-and-retracting: like accumulating, and each new result is preceded by a retraction of
 *   the previous one (also when session windows merge and the old session disappears).
 */
export const AccumulationMode = {
  accumulating: 'accumulating',
  discarding: 'discarding',
  accumulatingAndRetracting: 'accumulating-and-retracting',
} as const;
export type AccumulationMode = (typeof AccumulationMode)[keyof typeof AccumulationMode];
