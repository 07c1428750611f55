// Composition root: config → logger → migrations → sink → listen → drain on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import {
  buildSinkPostgres,
  isConnectionError,
  migrate,
  PgSinkCode,
  SinkPostgresConfigSchema,
} from './app.ts';

const config = loadConfig(SinkPostgresConfigSchema, process.env, { prefix: 'SINK_PG_' });
const logger = createLogger({ service: 'sink-postgres', level: config.LOG_LEVEL });

// PostgreSQL may still be starting (compose, k8s): wait for it; a migration that fails in PostgreSQL's
// own terms (bad SQL, a lock timeout) stops the start-up instead.
for (let attempt = 1; config.MIGRATE_ON_START; attempt++) {
  try {
    const ran = await migrate({ databaseUrl: config.DATABASE_URL, schema: config.PG_SCHEMA, logger });
    logger.info({ ran, schema: config.PG_SCHEMA }, 'migrations up to date');
    break;
  } catch (error) {
    if (!isConnectionError(error)) {
      logger.error({ err: error, code: PgSinkCode.migration }, 'migration failed');
      process.exit(1);
    }
    if (attempt === 1 || attempt % 10 === 0)
      logger.warn({ err: error, attempt }, 'PostgreSQL unreachable; retrying migrations');
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(config.RETRY_MAX_MS, config.RETRY_INITIAL_MS * 2 ** attempt)),
    );
  }
}

const kafka = createKafka({
  clientId: 'tideline-sink-postgres',
  brokers: config.KAFKA_BROKERS.split(','),
  log: logger.child({ component: 'kafkajs' }),
});
const { app } = buildSinkPostgres(config, { logger, kafka });
closeOnSignals({ logger, exit: (code) => process.exit(code), close: () => app.close() });
await app.listen({ host: config.HOST, port: config.PORT });
