import { BodyError, UploadErrorCode } from './upload-errors.ts';
import { Utf8Check } from './utf8-check.ts';

export interface BodyReaderOptions {
  /** The largest body accepted; reading beyond it fails with 413. */
  maxBytes: number;
  /** How many leading bytes to keep for a dead letter of the whole payload. */
  captureBytes: number;
}

/**
 * Reads a request body chunk by chunk (the socket is only read as fast as the consumer pulls, so
 * Kafka's pace becomes the client's), checking that it is UTF-8 and within the size limit, and keeping
 * its first bytes so a payload that turns out unreadable can still be dead-lettered.
 */
export class BodyReader {
  readonly #source: AsyncIterable<Buffer | string>;
  readonly #options: BodyReaderOptions;
  readonly #captured: Buffer[] = [];
  #capturedBytes = 0;
  #bytesRead = 0;

  constructor(source: AsyncIterable<Buffer | string>, options: BodyReaderOptions) {
    this.#source = source;
    this.#options = options;
  }

  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** The body's first bytes as text (invalid UTF-8 replaced); `truncated` when the body is longer. */
  captured(): { text: string; bytes: Buffer; truncated: boolean } {
    const bytes = Buffer.concat(this.#captured);
    return { text: bytes.toString('utf8'), bytes, truncated: this.#bytesRead > bytes.length };
  }

  async *chunks(): AsyncGenerator<Buffer> {
    const utf8 = new Utf8Check();
    for await (const piece of this.#source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (chunk.length === 0) continue;
      this.#bytesRead += chunk.length;
      this.#capture(chunk);
      if (this.#bytesRead > this.#options.maxBytes) {
        throw new BodyError(
          UploadErrorCode.bodyTooLarge,
          413,
          `the body is larger than the ${this.#options.maxBytes}-byte limit`,
        );
      }
      if (!utf8.push(chunk)) {
        throw new BodyError(
          UploadErrorCode.invalidUtf8,
          400,
          `the body is not valid UTF-8 (an invalid byte sequence within bytes ${this.#bytesRead - chunk.length}-${this.#bytesRead})`,
        );
      }
      yield chunk;
    }
    if (!utf8.end()) {
      throw new BodyError(
        UploadErrorCode.invalidUtf8,
        400,
        'the body is not valid UTF-8 (it ends inside a character)',
      );
    }
  }

  #capture(chunk: Buffer): void {
    const room = this.#options.captureBytes - this.#capturedBytes;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#captured.push(Buffer.from(part));
    this.#capturedBytes += part.length;
  }
}
