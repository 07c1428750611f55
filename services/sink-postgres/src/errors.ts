/** sink-postgres's codes: dead-letter reasons and store-unavailable codes (README documents each). */
export const PgSinkCode = {
  /** PostgreSQL refused the record (a data or integrity error); the reason carries SQLSTATE and message. */
  rejected: 'SINK_PG_ERR_REJECTED',
  /** Event time beyond the partitions created ahead (PARTITIONS_AHEAD_DAYS). */
  outOfRange: 'SINK_PG_ERR_OUT_OF_RANGE',
  /** A kind of record this sink does not store. */
  unsupported: 'SINK_PG_ERR_UNSUPPORTED_KIND',
  /** PostgreSQL is unreachable or failed the batch for a reason that is not the data: retried. */
  unavailable: 'SINK_PG_ERR_UNAVAILABLE',
  /** Migrations failed at start-up. */
  migration: 'SINK_PG_ERR_MIGRATION',
} as const;

/**
 * SQLSTATE classes that blame the data, not the server: 22 data exception (bad text, out of range,
 * U+0000 in jsonb), 23 integrity constraint (including "no partition for row"), 54 program limit
 * (an index row too large). A batch failing with one of these is split to find the record; anything
 * else (connection loss, shutdown, timeouts, deadlocks) is retried as a whole.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

export function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string; detail?: string };
  return [e.code, e.message, e.detail].filter(Boolean).join(': ');
}

/**
 * PostgreSQL cannot be reached or is starting or shutting down (SQLSTATE 08 connection exception, 57P0x
 * shutdown or cannot connect now), or the network failed: waiting helps.
 */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(08|57P0)/.test(code)) return true;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'].includes(code)
  )
    return true;
  const message = error instanceof Error ? error.message : String(error);
  return /timeout|terminated unexpectedly|Connection terminated/i.test(message);
}
