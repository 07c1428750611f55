/**
 * The catalogue of errors the windowing engine raises. Codes are stable: callers branch on them.
 *
 * | code                          | raised when                                                        |
 * | ----------------------------- | ------------------------------------------------------------------ |
 * | WIN_ERR_INVALID_WINDOW        | a window specification is out of range (size, advance, grace, gap) |
 * | WIN_ERR_INVALID_AGGREGATE     | an aggregate's parameters are out of range (k, alpha, span)        |
 * | WIN_ERR_INVALID_OPTIONS       | engine options are invalid; `problems` lists every one at once     |
 * | WIN_ERR_INVALID_RECORD        | a record has a non-finite event time or a bad partition            |
 * | WIN_ERR_UNDRAINED_OUTPUT      | a snapshot was requested while outputs were still buffered         |
 * | WIN_ERR_SNAPSHOT_INVALID      | a snapshot is malformed or holds values that are not plain data    |
 * | WIN_ERR_SNAPSHOT_MISMATCH     | a snapshot was taken by an engine with a different configuration   |
 * | WIN_ERR_UNSUPPORTED           | an operation the job's configuration does not support              |
 */
export const WindowingErrorCodes = {
  invalidWindow: 'WIN_ERR_INVALID_WINDOW',
  invalidAggregate: 'WIN_ERR_INVALID_AGGREGATE',
  invalidOptions: 'WIN_ERR_INVALID_OPTIONS',
  invalidRecord: 'WIN_ERR_INVALID_RECORD',
  undrainedOutput: 'WIN_ERR_UNDRAINED_OUTPUT',
  snapshotInvalid: 'WIN_ERR_SNAPSHOT_INVALID',
  snapshotMismatch: 'WIN_ERR_SNAPSHOT_MISMATCH',
  unsupported: 'WIN_ERR_UNSUPPORTED',
} as const;
export type WindowingErrorCode = (typeof WindowingErrorCodes)[keyof typeof WindowingErrorCodes];

export interface WindowingErrorOptions {
  readonly cause?: unknown;
  /** Every problem found, when one error reports several (invalid options). */
  readonly problems?: readonly string[];
}

/**
 * Every error of the engine is a programming or data error: the same input fails the same way, so
 * retrying never helps (`canRetry` is always false). A bad record leaves the engine's state untouched.
 */
export class WindowingError extends Error {
  readonly code: WindowingErrorCode;
  readonly canRetry = false;
  readonly problems: readonly string[];

  constructor(code: WindowingErrorCode, message: string, options: WindowingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WindowingError';
    this.code = code;
    this.problems = Object.freeze([...(options.problems ?? [message])]);
  }
}
