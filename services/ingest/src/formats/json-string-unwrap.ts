import { IngestReason } from '../errors.ts';
import { PayloadError } from './record-sink.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22, // \"
  0x5c: 0x5c, // \\
  0x2f: 0x2f, // \/
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
};

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Payloads encoded twice (a JSON string whose content is the JSON document, as the original
 * projects put values on Kafka) are unwrapped as a stream: when the first non-blank byte is a quote,
 * the string's content is decoded chunk by chunk and read as the document, up to `maxDepth` times.
 * A document that is not a string passes through untouched.
 */
export async function* unwrapJsonStrings(
  chunks: AsyncIterable<Buffer>,
  maxDepth: number,
): AsyncGenerator<Buffer> {
  let stream: AsyncIterable<Buffer> = chunks;
  for (let depth = 0; depth < maxDepth; depth++) stream = unwrapOnce(stream);
  yield* stream;
}

async function* unwrapOnce(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  // Find the first non-blank byte to decide whether this level is a string.
  let first: Buffer | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    const start = next.value.findIndex((b) => !isSpace(b));
    if (start >= 0) {
      first = next.value.subarray(start);
      break;
    }
  }
  if (first[0] !== QUOTE) {
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    return;
  }
  const decoder = new JsonStringDecoder();
  const head = decoder.push(first.subarray(1));
  if (head.length > 0) yield head;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const out = decoder.push(next.value);
    if (out.length > 0) yield out;
  }
  decoder.end();
}

/** Decodes the content of a JSON string (after its opening quote) into UTF-8 bytes, chunk by chunk. */
export class JsonStringDecoder {
  #closed = false;
  /** An escape sequence cut by a chunk boundary. */
  #pending: number[] = [];
  #highSurrogate: number | undefined;

  push(chunk: Buffer): Buffer {
    const bytes = this.#pending.length > 0 ? Buffer.concat([Buffer.from(this.#pending), chunk]) : chunk;
    this.#pending = [];
    let i = 0;
    let runStart = 0;
    const parts: Buffer[] = [];
    const flushRun = (end: number) => {
      if (end > runStart) parts.push(bytes.subarray(runStart, end));
    };
    while (i < bytes.length) {
      const byte = bytes[i] as number;
      if (this.#closed) {
        if (!isSpace(byte)) throw malformed('data after the end of the encoded string');
        i++;
        runStart = i;
        continue;
      }
      if (byte === QUOTE) {
        flushRun(i);
        this.#closed = true;
        i++;
        runStart = i;
        continue;
      }
      if (byte !== BACKSLASH) {
        if (byte < 0x20) throw malformed('a control character inside the encoded string');
        i++;
        continue;
      }
      // An escape: decode it, or keep it for the next chunk when it is cut.
      flushRun(i);
      const kind = bytes[i + 1];
      if (kind === undefined) {
        this.#pending = [...bytes.subarray(i)];
        runStart = i = bytes.length;
        break;
      }
      if (kind === 0x75 /* u */) {
        if (i + 6 > bytes.length) {
          this.#pending = [...bytes.subarray(i)];
          runStart = i = bytes.length;
          break;
        }
        const hex = bytes.toString('latin1', i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw malformed(`bad escape \\u${hex}`);
        parts.push(this.#codeUnit(Number.parseInt(hex, 16)));
        i += 6;
      } else {
        const simple = SIMPLE_ESCAPES[kind];
        if (simple === undefined) throw malformed(`bad escape \\${String.fromCharCode(kind)}`);
        parts.push(Buffer.of(simple));
        i += 2;
      }
      runStart = i;
    }
    if (!this.#closed) flushRun(bytes.length);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  end(): void {
    if (!this.#closed || this.#pending.length > 0) throw malformed('the encoded string is not terminated');
  }

  #codeUnit(unit: number): Buffer {
    if (unit >= 0xd800 && unit <= 0xdbff) {
      this.#highSurrogate = unit;
      return Buffer.alloc(0);
    }
    if (unit >= 0xdc00 && unit <= 0xdfff && this.#highSurrogate !== undefined) {
      const codePoint = 0x10000 + ((this.#highSurrogate - 0xd800) << 10) + (unit - 0xdc00);
      this.#highSurrogate = undefined;
      return Buffer.from(String.fromCodePoint(codePoint));
    }
    this.#highSurrogate = undefined;
    return Buffer.from(String.fromCharCode(unit));
  }
}

function malformed(message: string): PayloadError {
  return new PayloadError(IngestReason.malformedJson, message);
}
