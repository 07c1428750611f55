// `pnpm bench sinks` runs this as a process: the two write modes head to head on one connection, the same
// batches (cleaned readings and window aggregates from the benchmark backlog), alternating, fresh rows
// each round, in a schema of its own that it drops at the end. Prints one JSON line: the median ms per
// batch of each mode. The end-to-end figures vary with the machine's load from run to run; this is the
// comparison that decides WRITE_MODE. argv: <records per batch> <rounds>; SINK_PG_DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { topicNamer } from '@tideline/contracts';
import { createLogger } from '@tideline/logging';
import { decodeRecord, generateBenchBacklog, isUndecodable, type SinkRecord } from '@tideline/sink-runtime';
import pg from 'pg';
import { migrate } from './migrate.ts';
import { PartitionManager } from './partitions.ts';
import { rowsOf } from './tables.ts';
import { copyRows } from './writers/copy-writer.ts';
import { insertRows } from './writers/insert-writer.ts';

const perBatch = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);
const databaseUrl = process.env.SINK_PG_DATABASE_URL ?? 'postgres://tideline@127.0.0.1:5432/tideline';
const schema = `bench_modes_${randomBytes(4).toString('hex')}`;
const logger = createLogger({ service: 'write-modes-bench', level: 'warn' });
const namer = topicNamer('bench');
const dayMs = Math.floor(Date.now() / 86_400_000) * 86_400_000;

function batch(round: number, mode: number): SinkRecord[] {
  // A different hour per (round, mode): every batch inserts fresh rows.
  const startMs = dayMs + (round * 2 + mode) * 3_600_000;
  return generateBenchBacklog(namer, { startMs, total: perBatch, keys: 1000 }).map((m, i) => {
    const headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)]));
    const message = {
      key: null,
      value: Buffer.from(m.value),
      headers,
      offset: String(i),
      timestamp: '0',
      attributes: 0,
    };
    const decoded = decodeRecord(namer, m.topic, 0, message);
    if (isUndecodable(decoded)) throw new Error(decoded.reason);
    return decoded;
  });
}

await migrate({ databaseUrl, schema, logger });
const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, options: `-c search_path=${schema}` });
try {
  await new PartitionManager(pool, { retentionDays: 0, aheadDays: 1 }).maintain(Date.now());
  const ms: Record<'copy' | 'insert', number[]> = { copy: [], insert: [] };
  const client = await pool.connect();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [index, mode] of (['copy', 'insert'] as const).entries()) {
        const tables = rowsOf(batch(round, index));
        const started = performance.now();
        await client.query('BEGIN');
        for (const rows of tables)
          await (mode === 'copy' ? copyRows(client, rows) : insertRows(client, rows));
        await client.query('COMMIT');
        ms[mode].push(performance.now() - started);
      }
    }
  } finally {
    client.release();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  process.stdout.write(
    JSON.stringify({ perBatch, rounds, copyMs: median(ms.copy), insertMs: median(ms.insert) }) + '\n',
  );
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}
