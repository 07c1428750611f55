/**
 * What a record on a processed topic holds. A processed topic (`processed.geotech.<type>`,
 * `processed.market.<SYMBOL>`, `processed.sensors.temperature`) carries both the cleaned readings of its
 * instruments and the window results of the jobs over them (windows, moving averages): consumers tell
 * them apart by the `tl-kind` header, and each value validates against its own schema.
 */
export const ProcessedKind = {
  /** A `CleanReading`. */
  reading: 'reading',
  /** A `WindowAggregate` (time windows, count windows such as moving averages). */
  window: 'window',
} as const;
export type ProcessedKind = (typeof ProcessedKind)[keyof typeof ProcessedKind];

/** Headers the processor sets on what it writes. */
export const RecordHeaders = {
  /** `ProcessedKind` of a processed record. */
  kind: 'tl-kind',
  /** Epoch ms at which the raw record the output came from was appended to its raw topic (latency). */
  sourceAppendMs: 'tl-source-append-ms',
} as const;
