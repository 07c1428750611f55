import { badRequest, QueryErrorCode } from '../errors.ts';

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients (base64url of
 * a small JSON array). A cursor is checked field by field before it reaches SQL; anything else is
 * QUERY_ERR_INVALID_CURSOR.
 */
export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,512}$';

/** Position after a row: its time (ms) and, when times can repeat, a tie-breaking id. */
export interface Cursor {
  readonly timeMs: number;
  readonly id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.timeMs, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(QueryErrorCode.invalidCursor, 'the cursor is not one this API issued');
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !Number.isSafeInteger(value[0]) ||
    value[0] < 0 ||
    value[0] > 8_640_000_000_000_000 ||
    typeof value[1] !== 'string' ||
    value[1].length > 256 ||
    value[1].includes('\u0000')
  )
    throw badRequest(QueryErrorCode.invalidCursor, 'the cursor is not one this API issued');
  return { timeMs: value[0] as number, id: value[1] as string };
}
