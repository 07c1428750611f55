import type { SinkRecord } from './records.ts';

/** A record the store refused as invalid (a data error, a mapping conflict): dead-lettered with its reason. */
export interface StoreRejection {
  record: SinkRecord;
  /** Stable code, e.g. SINK_PG_ERR_REJECTED. */
  code: string;
  /** The store's own words: SQLSTATE and message, or the bulk item's error type and reason. */
  reason: string;
}

export interface WriteOutcome {
  /** Rows or documents the store now holds for this batch (upserts count once per record). */
  written: number;
  /** Records older than the store's retention: skipped and counted, never written. */
  expired: number;
  rejected: StoreRejection[];
}

export interface WriteContext {
  /** Aborted when the sink is closing: a store may give up waiting (the batch is then redelivered). */
  signal: AbortSignal;
  /** Keeps the consumer's group membership alive during long writes and retries. */
  heartbeat: () => Promise<void>;
}

/**
 * Where a sink writes. `write` is idempotent (the same records twice leave the same state) and resolves
 * only once the batch is durable; it throws (StoreUnavailableError) when the store cannot take the
 * batch at all, and returns per-record rejections for records it refuses.
 */
export interface SinkStore {
  readonly name: string;
  write(records: readonly SinkRecord[], context: WriteContext): Promise<WriteOutcome>;
  /** Readiness: resolves when the store answers. */
  check(): Promise<void>;
}
