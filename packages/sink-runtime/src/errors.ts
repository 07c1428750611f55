/**
 * Why a sink dead-letters a record. Stable: dashboards group by them; each sink's README documents
 * them along with its store-specific codes.
 */
export const SinkReason = {
  malformedJson: 'SINK_ERR_MALFORMED_JSON',
  schema: 'SINK_ERR_SCHEMA',
  unknownKind: 'SINK_ERR_UNKNOWN_KIND',
  /** The store refused a record read from the sink's own dead-letter topic: counted and logged only. */
  deadLetterRefused: 'SINK_ERR_DEAD_LETTER_REFUSED',
} as const;
export type SinkReason = (typeof SinkReason)[keyof typeof SinkReason];

/**
 * The store could not take the batch as a whole (down, timed out, overloaded): the runtime retries
 * the batch with backoff and consumes nothing more until it succeeds. Records the store rejects as
 * invalid are not errors: the store returns them as rejections.
 */
export class StoreUnavailableError extends Error {
  readonly code: string;
  readonly canRetry = true;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.code = code;
  }
}
