/**
 * Caps the upload bytes in flight across all requests. A request reserves its Content-Length (or the
 * largest body allowed, when the length is not announced) before a byte of it is read, and releases
 * it when done; a request that would pass the cap is refused at once with 503 and Retry-After, so
 * nothing of it is accepted and the client knows to retry. One request is always let through, however
 * large, so that a cap below the body limit cannot refuse everything.
 */
export class UploadGate {
  readonly #maxInFlightBytes: number;
  #inFlightBytes = 0;
  #uploads = 0;

  constructor(maxInFlightBytes: number) {
    this.#maxInFlightBytes = maxInFlightBytes;
  }

  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  /** Reserves `bytes`; returns the release function, or undefined when the cap is reached. */
  tryReserve(bytes: number): (() => void) | undefined {
    if (this.#uploads > 0 && this.#inFlightBytes + bytes > this.#maxInFlightBytes) return undefined;
    this.#inFlightBytes += bytes;
    this.#uploads++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlightBytes -= bytes;
      this.#uploads--;
    };
  }
}
