// Composition root: config → logger → sink → listen → drain on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { buildSinkElasticsearch, SinkElasticsearchConfigSchema } from './app.ts';

const config = loadConfig(SinkElasticsearchConfigSchema, process.env, { prefix: 'SINK_ES_' });
const logger = createLogger({ service: 'sink-elasticsearch', level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: 'tideline-sink-elasticsearch',
  brokers: config.KAFKA_BROKERS.split(','),
  log: logger.child({ component: 'kafkajs' }),
});
const { app } = buildSinkElasticsearch(config, { logger, kafka });
closeOnSignals({ logger, exit: (code) => process.exit(code), close: () => app.close() });
await app.listen({ host: config.HOST, port: config.PORT });
