// Composition root: config → logger → migrations → sink → listen → drain on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { buildSinkPostgres, migrate, SinkPostgresConfigSchema } from './app.ts';

const config = loadConfig(SinkPostgresConfigSchema, process.env, { prefix: 'SINK_PG_' });
const logger = createLogger({ service: 'sink-postgres', level: config.LOG_LEVEL });

if (config.MIGRATE_ON_START) {
  const ran = await migrate({ databaseUrl: config.DATABASE_URL, schema: config.PG_SCHEMA, logger });
  logger.info({ ran, schema: config.PG_SCHEMA }, 'migrations up to date');
}

const kafka = createKafka({
  clientId: 'tideline-sink-postgres',
  brokers: config.KAFKA_BROKERS.split(','),
  log: logger.child({ component: 'kafkajs' }),
});
const { app } = buildSinkPostgres(config, { logger, kafka });
closeOnSignals({ logger, exit: (code) => process.exit(code), close: () => app.close() });
await app.listen({ host: config.HOST, port: config.PORT });
