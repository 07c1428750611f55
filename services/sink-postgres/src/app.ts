import { DeadLetterStage, TopicKind } from '@tideline/contracts';
import { createRegistry, type Registry } from '@tideline/service-kit';
import { buildSinkApp, SinkRunner, sinkRunnerSettings } from '@tideline/sink-runtime';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import type { Logger } from 'pino';
import type { SinkPostgresConfig } from './config.ts';
import { PartitionManager } from './partitions.ts';
import { PgStore } from './pg-store.ts';

export type { SinkPostgresConfig } from './config.ts';
export { SinkPostgresConfigSchema } from './config.ts';
export { migrate, migrationsDir } from './migrate.ts';
export { PgSinkCode, isConnectionError } from './errors.ts';
export { partitionName } from './partitions.ts';

export interface SinkPostgresDependencies {
  logger: Logger;
  kafka: Kafka;
  registry?: Registry;
}

export interface SinkPostgres {
  app: FastifyInstance;
  runner: SinkRunner;
  pool: pg.Pool;
  partitions: PartitionManager;
}

/** A pool whose connections use the configured schema and time limits. */
export function createPool(config: SinkPostgresConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.PG_POOL_SIZE,
    connectionTimeoutMillis: config.CONNECT_TIMEOUT_MS,
    statement_timeout: config.STATEMENT_TIMEOUT_MS,
    // The socket can hang rather than close when the network goes away; the query gives up then.
    query_timeout: config.STATEMENT_TIMEOUT_MS + 5000,
    options: `-c search_path=${config.PG_SCHEMA}`,
  });
  return pool;
}

/**
 * Builds the PostgreSQL sink without starting it (migrations are main.ts's business, before this).
 * On `ready()` it creates the partitions ahead, drops expired ones and starts consuming; partition
 * maintenance then repeats every MAINTENANCE_INTERVAL_MS. `close()` drains the batch in hand and
 * closes the pool.
 */
export function buildSinkPostgres(config: SinkPostgresConfig, deps: SinkPostgresDependencies): SinkPostgres {
  const { logger, kafka } = deps;
  const registry = deps.registry ?? createRegistry('sink-postgres');
  const pool = createPool(config);
  // A dropped connection emits 'error' on the pool; the next query reconnects.
  pool.on('error', (error) => logger.debug({ err: error }, 'idle PostgreSQL connection failed'));
  const partitions = new PartitionManager(pool, {
    retentionDays: config.RETENTION_DAYS,
    aheadDays: config.PARTITIONS_AHEAD_DAYS,
  });
  const store = new PgStore({ pool, partitions, mode: config.WRITE_MODE });
  const runner = new SinkRunner({
    kafka,
    store,
    logger,
    registry,
    ...sinkRunnerSettings(config),
    kinds: [TopicKind.processed, TopicKind.alerts],
    stage: DeadLetterStage.sinkPostgres,
  });

  const app = buildSinkApp({
    runner,
    logger,
    registry,
    store: { name: 'postgres', label: 'PostgreSQL', check: () => store.check() },
    // Partitions are also made on demand per batch, so a PostgreSQL that is down at start is fine.
    maintenance: {
      what: 'partition maintenance',
      intervalMs: config.MAINTENANCE_INTERVAL_MS,
      run: async () => {
        const { created, dropped } = await partitions.maintain(Date.now());
        if (created.length > 0 || dropped.length > 0)
          logger.info({ created, dropped }, 'partitions maintained');
      },
    },
    onClose: () => pool.end(),
  });
  return { app, runner, pool, partitions };
}
