/**
 * Why ingest dead-letters a record or gives up on a response. Stable: dashboards and alerts group by
 * them, and services/ingest/README.md documents each.
 */
export const IngestReason = {
  malformedJson: 'INGEST_ERR_MALFORMED_JSON',
  badEnvelope: 'INGEST_ERR_BAD_ENVELOPE',
  badCsvRow: 'INGEST_ERR_BAD_CSV_ROW',
  badTimestamp: 'INGEST_ERR_BAD_TIMESTAMP',
  eventTimeOutOfRange: 'INGEST_ERR_EVENT_TIME_OUT_OF_RANGE',
  invalidUtf8: 'INGEST_ERR_INVALID_UTF8',
  schema: 'INGEST_ERR_SCHEMA',
  sourceBadResponse: 'INGEST_ERR_SOURCE_BAD_RESPONSE',
} as const;
export type IngestReason = (typeof IngestReason)[keyof typeof IngestReason];

/** A source answered something ingest cannot page through: retried with backoff, dead-lettered once. */
export class SourceError extends Error {
  readonly code: string;
  readonly canRetry = true;
  /** The body as received, for the dead letter; absent for network failures and HTTP errors. */
  readonly body: string | undefined;

  constructor(code: string, message: string, options: { body?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SourceError';
    this.code = code;
    this.body = options.body;
  }
}
