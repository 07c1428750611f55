/**
 * A piece of a task's state kept per key in the changelog: it reports the keys it changed since the
 * last call (`null` when a key holds nothing any more) and takes them back on restore. Values are
 * plain JSON-safe data.
 */
export interface StatePart {
  /** The changelog section this part owns. */
  readonly section: string;
  /** How many ids the next `takeChanges()` returns (about, for a windowing engine's keys). */
  readonly pendingChanges: number;
  takeChanges(): [id: string, value: unknown][];
  /** Takes back the latest value of each id (what the compacted changelog holds), all at once. */
  restore(entries: Iterable<[id: string, value: unknown]>): void;
}
