import { isUtf8 } from 'node:buffer';

/**
 * Checks that a byte stream is UTF-8, chunk by chunk, without decoding it: the bytes of a character
 * split across two chunks are carried over to the next check. `push` returns false at the first
 * invalid sequence; `end` returns false when the stream stops inside a character.
 */
export class Utf8Check {
  #carry: Buffer | undefined;

  push(chunk: Buffer): boolean {
    const bytes = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    this.#carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
    return isUtf8(bytes.subarray(0, cut));
  }

  end(): boolean {
    return this.#carry === undefined;
  }
}

/** How many leading bytes end on a character boundary (a trailing, unfinished sequence is left out). */
function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  for (let back = 1; back <= Math.min(4, n); back++) {
    const byte = bytes[n - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n; // only continuation bytes: let isUtf8 reject them
}
