import {
  type SinkRecord,
  type SinkStore,
  type StoreRejection,
  StoreUnavailableError,
  type WriteContext,
  type WriteOutcome,
} from '@tideline/sink-runtime';
import type { Pool, PoolClient } from 'pg';
import { describePgError, isDataError, PgSinkCode } from './errors.ts';
import { dayOf, type PartitionManager } from './partitions.ts';
import { PartitionedWith, partitionTimeMs, rowsOf, type PartitionedTable, type TableRows } from './tables.ts';
import { copyRows } from './writers/copy-writer.ts';
import { insertRows } from './writers/insert-writer.ts';

export const WriteMode = { insert: 'insert', copy: 'copy' } as const;
export type WriteMode = (typeof WriteMode)[keyof typeof WriteMode];

export interface PgStoreOptions {
  pool: Pool;
  partitions: PartitionManager;
  mode: WriteMode;
  now?: () => number;
}

/**
 * The history store: a batch is written in one transaction (readings and their per-minute rollup,
 * window aggregates, alerts and the series they touch), idempotently (upserts on the primary keys; a
 * reading is added to the rollup only when first stored). When PostgreSQL blames the data, the batch is
 * halved until the record at fault is alone, and that record is rejected with PostgreSQL's reason; the
 * rest is written. Anything else is StoreUnavailableError (retried).
 */
export class PgStore implements SinkStore {
  readonly name = 'postgres';
  readonly #options: PgStoreOptions;

  constructor(options: PgStoreOptions) {
    this.#options = options;
  }

  async check(): Promise<void> {
    await this.#options.pool.query('SELECT 1');
  }

  async write(records: readonly SinkRecord[], context: WriteContext): Promise<WriteOutcome> {
    const now = (this.#options.now ?? Date.now)();
    const { partitions } = this.#options;
    const cutoff = partitions.cutoffMs(now);
    const horizon = partitions.horizonMs(now);
    const keep: SinkRecord[] = [];
    const rejected: StoreRejection[] = [];
    const needed = new Map<string, { table: PartitionedTable; dayMs: number }>();
    let expired = 0;
    for (const record of records) {
      const at = partitionTimeMs(record);
      if (!at) {
        rejected.push({
          record,
          code: PgSinkCode.unsupported,
          reason: `sink-postgres does not store ${record.kind}`,
        });
      } else if (at.ms < cutoff) {
        expired += 1;
      } else if (at.ms >= horizon) {
        rejected.push({
          record,
          code: PgSinkCode.outOfRange,
          reason: `time ${new Date(at.ms).toISOString()} is beyond the partitions made ahead (until ${new Date(horizon).toISOString()})`,
        });
      } else {
        keep.push(record);
        const dayMs = dayOf(at.ms);
        for (const table of [at.table, ...(PartitionedWith[at.table] ?? [])])
          needed.set(`${table}${dayMs}`, { table, dayMs });
      }
    }
    try {
      await partitions.ensure(needed.values());
    } catch (error) {
      throw unavailable(error);
    }
    const outcome = await this.#writeOrSplit(keep, context);
    return { written: outcome.written, expired, rejected: [...rejected, ...outcome.rejected] };
  }

  async #writeOrSplit(
    records: readonly SinkRecord[],
    context: WriteContext,
  ): Promise<{ written: number; rejected: StoreRejection[] }> {
    if (records.length === 0) return { written: 0, rejected: [] };
    try {
      await this.#transaction(rowsOf(records));
      return { written: records.length, rejected: [] };
    } catch (error) {
      if (!isDataError(error)) throw unavailable(error);
      if (records.length === 1) {
        return {
          written: 0,
          rejected: [{ record: records[0]!, code: PgSinkCode.rejected, reason: describePgError(error) }],
        };
      }
      // Halving a large batch takes a few dozen transactions: keep the group membership meanwhile.
      await context.heartbeat();
      const middle = Math.ceil(records.length / 2);
      const left = await this.#writeOrSplit(records.slice(0, middle), context);
      const right = await this.#writeOrSplit(records.slice(middle), context);
      return { written: left.written + right.written, rejected: [...left.rejected, ...right.rejected] };
    }
  }

  async #transaction(tables: readonly TableRows[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.#options.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken = false;
    // A connection lost while checked out emits 'error' on the client; with no listener Node throws it
    // and the sink dies. Here it only marks the connection broken: the query in flight fails, the batch
    // is retried with backoff on a fresh connection, and nothing is committed twice.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      for (const rows of tables) {
        if (this.#options.mode === WriteMode.copy) await copyRows(client, rows);
        else await insertRows(client, rows);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection that failed mid-transaction is not returned to the pool.
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function unavailable(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(PgSinkCode.unavailable, describePgError(error) || String(error), {
    cause: error,
  });
}
