import { ServiceError } from '@tideline/service-kit';
import { SourceApiErrorCodes } from '../errors.ts';

/** A position in a feed: the slot, and how many of its entries were already served. */
export interface Position {
  slot: number;
  offset: number;
}

const VERSION = 'c1';

/**
 * Cursors are opaque to clients (base64url). Inside: a version, the feed, the position and the
 * feed's fingerprint, so a cursor from another feed or another configuration is refused rather than
 * silently pointing somewhere else.
 */
export function encodeCursor(feed: string, fingerprint: string, position: Position): string {
  return Buffer.from(`${VERSION}:${feed}:${position.slot}:${position.offset}:${fingerprint}`).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string, feed: string, fingerprint: string): Position {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const [version, cursorFeed, slotText, offsetText, cursorFingerprint] = parts;
  const slot = Number(slotText);
  const offset = Number(offsetText);
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    !/^[0-9]+$/.test(slotText ?? '') ||
    !/^[0-9]+$/.test(offsetText ?? '') ||
    !Number.isSafeInteger(slot) ||
    !Number.isSafeInteger(offset)
  ) {
    throw invalid('cursor is not one this source issued');
  }
  if (cursorFeed !== feed) throw invalid(`cursor belongs to the ${cursorFeed} feed, not ${feed}`);
  if (cursorFingerprint !== fingerprint) {
    throw invalid('cursor was issued under another seed or configuration; start again without one');
  }
  return { slot, offset };
}

function invalid(message: string): ServiceError {
  return new ServiceError(SourceApiErrorCodes.invalidCursor, message, { statusCode: 400 });
}
