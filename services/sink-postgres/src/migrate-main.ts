// One-shot migrations: `node services/sink-postgres/src/migrate-main.ts [up|down] [count]`, configured
// like the service (SINK_PG_DATABASE_URL, SINK_PG_PG_SCHEMA); exits 0 when the schema is up to date.
import { loadConfig } from '@tideline/config';
import { createLogger } from '@tideline/logging';
import { migrate, SinkPostgresConfigSchema } from './app.ts';

const config = loadConfig(SinkPostgresConfigSchema, process.env, { prefix: 'SINK_PG_' });
const logger = createLogger({ service: 'sink-postgres-migrate', level: config.LOG_LEVEL });
const direction = process.argv[2] === 'down' ? 'down' : 'up';
const count = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
try {
  const ran = await migrate({
    databaseUrl: config.DATABASE_URL,
    schema: config.PG_SCHEMA,
    logger,
    direction,
    count,
  });
  logger.info(
    { direction, ran, schema: config.PG_SCHEMA },
    ran.length === 0 ? 'nothing to migrate' : 'migrated',
  );
} catch (error) {
  logger.error({ err: error, code: 'SINK_PG_ERR_MIGRATION' }, 'migration failed');
  process.exitCode = 1;
}
