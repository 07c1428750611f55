import type { RawEventDraft } from '@tideline/contracts';
import type { IngestReason } from '../errors.ts';
import type { Normalized, Rejected } from './normalized.ts';

/**
 * Where a format reader puts what it reads: drafts to validate and produce, and records it could not
 * read. `full` asks the reader to `await flush()` before reading on: that is how Kafka's pace reaches
 * the socket (a PublishSession), or a no-op for an in-memory collection (tests, polled pages).
 */
export interface RecordSink {
  add(draft: RawEventDraft): void;
  reject(rejected: Rejected): void;
  readonly full: boolean;
  flush(): Promise<void>;
}

/**
 * The whole payload cannot be read (not JSON, not the expected shape): readers throw this after
 * passing on whatever they could read before; the caller dead-letters the payload and answers 400.
 */
export class PayloadError extends Error {
  readonly reasonCode: IngestReason;

  constructor(reasonCode: IngestReason, message: string) {
    super(message);
    this.name = 'PayloadError';
    this.reasonCode = reasonCode;
  }
}

/** A sink that keeps everything in memory: for payloads already in memory (pages, Kafka values) and tests. */
export class CollectingSink implements RecordSink {
  readonly normalized: Normalized = { drafts: [], rejected: [] };
  readonly full = false;

  add(draft: RawEventDraft): void {
    this.normalized.drafts.push(draft);
  }

  reject(rejected: Rejected): void {
    this.normalized.rejected.push(rejected);
  }

  async flush(): Promise<void> {}
}

/** Reads an in-memory payload with a streaming reader; a whole-payload failure becomes one rejection. */
export async function readWhole(
  reader: (chunks: AsyncIterable<Buffer>, source: string, sink: RecordSink) => Promise<void>,
  payload: string | Buffer,
  source: string,
): Promise<Normalized> {
  const sink = new CollectingSink();
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  try {
    await reader(oneChunk(bytes), source, sink);
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    sink.reject({ reasonCode: error.reasonCode, reason: error.message, rawPayload: bytes.toString('utf8') });
  }
  return sink.normalized;
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}
