/** Stable error codes of the processor. */
export const ProcessorErrorCodes = {
  /** The jobs file is missing, not JSON, or fails its schema; `problems` names every bad field. */
  invalidJobs: 'PROC_ERR_INVALID_JOBS',
  /** A changelog record could not be applied on restore. */
  restoreFailed: 'PROC_ERR_RESTORE_FAILED',
  /** The instrument catalogue could not be loaded. */
  catalogue: 'PROC_ERR_CATALOGUE',
} as const;
export type ProcessorErrorCode = (typeof ProcessorErrorCodes)[keyof typeof ProcessorErrorCodes];

export class ProcessorError extends Error {
  readonly code: ProcessorErrorCode;
  readonly problems: readonly string[];
  readonly canRetry: boolean;

  constructor(
    code: ProcessorErrorCode,
    message: string,
    options: { problems?: readonly string[]; cause?: unknown; canRetry?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProcessorError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.canRetry = options.canRetry ?? false;
  }
}

/** Why the processor dead-lettered a record: the `reasonCode` on `dlq.processor`. */
export const DeadLetterReason = {
  malformedJson: 'malformed_json',
  unknownSchemaVersion: 'unknown_schema_version',
  schemaViolation: 'schema_violation',
  wrongFeed: 'wrong_feed',
  emptyField: 'empty_field',
  outOfRange: 'out_of_range',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];
