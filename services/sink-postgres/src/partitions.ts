import type { Pool } from 'pg';
import { PartitionedBy, type PartitionedTable } from './tables.ts';

const DAY_MS = 86_400_000;
const tables = Object.keys(PartitionedBy) as PartitionedTable[];

export interface PartitionPolicy {
  /** Partitions whose day ended more than this many days ago are dropped; 0 keeps everything. */
  retentionDays: number;
  aheadDays: number;
}

/** The UTC day (epoch ms of its midnight) a time falls in. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function partitionName(table: PartitionedTable, dayMs: number): string {
  return `${table}_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Daily range partitions of the history tables, in the pool's schema (search_path): created ahead of
 * today and on demand for the days a batch needs (a replay writes old days), and dropped once older
 * than the retention. Creating is idempotent and safe against a concurrent sink doing the same.
 */
export class PartitionManager {
  readonly #pool: Pool;
  readonly #policy: PartitionPolicy;
  readonly #known = new Set<string>();

  constructor(pool: Pool, policy: PartitionPolicy) {
    this.#pool = pool;
    this.#policy = policy;
  }

  /** The oldest event day still kept (records before it are expired), or -Infinity without retention. */
  cutoffMs(nowMs: number): number {
    return this.#policy.retentionDays === 0 ? -Infinity : dayOf(nowMs) - this.#policy.retentionDays * DAY_MS;
  }

  /** The end of the last day partitions are made for; later records are refused. */
  horizonMs(nowMs: number): number {
    return dayOf(nowMs) + (this.#policy.aheadDays + 1) * DAY_MS;
  }

  /** Creates today's and the next `aheadDays` partitions of every table, and drops expired ones. */
  async maintain(nowMs: number): Promise<{ created: string[]; dropped: string[] }> {
    const created: string[] = [];
    for (let d = 0; d <= this.#policy.aheadDays; d++) {
      for (const table of tables) {
        if (await this.#create(table, dayOf(nowMs) + d * DAY_MS))
          created.push(partitionName(table, dayOf(nowMs) + d * DAY_MS));
      }
    }
    return { created, dropped: await this.dropExpired(nowMs) };
  }

  /** Makes sure each (table, day) has its partition. */
  async ensure(needed: Iterable<{ table: PartitionedTable; dayMs: number }>): Promise<void> {
    for (const { table, dayMs } of needed) {
      if (!this.#known.has(partitionName(table, dayMs))) await this.#create(table, dayMs);
    }
  }

  async dropExpired(nowMs: number): Promise<string[]> {
    const cutoff = this.cutoffMs(nowMs);
    if (cutoff === -Infinity) return [];
    const { rows } = await this.#pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = current_schema() AND p.relname = ANY($1)`,
      [tables],
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!match) continue;
      const dayMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (dayMs + DAY_MS <= cutoff) {
        await this.#pool.query(`DROP TABLE IF EXISTS ${name}`);
        this.#known.delete(name);
        dropped.push(name);
      }
    }
    return dropped;
  }

  async #create(table: PartitionedTable, dayMs: number): Promise<boolean> {
    const name = partitionName(table, dayMs);
    const from = new Date(dayMs).toISOString();
    const to = new Date(dayMs + DAY_MS).toISOString();
    try {
      const exists = await this.#pool.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name]);
      if (exists.rows[0]?.exists) {
        this.#known.add(name);
        return false;
      }
      await this.#pool.query(
        `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
      this.#known.add(name);
      return true;
    } catch (error) {
      // Another sink created it between our check and our CREATE (42P07, or 23505 on pg_type).
      const code = (error as { code?: string }).code;
      if (code === '42P07' || code === '23505') {
        this.#known.add(name);
        return false;
      }
      throw error;
    }
  }
}
