// Composition root: config → logger → app → listen → close on SIGTERM.
import { loadConfig } from '@tideline/config';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { build, QueryApiConfigSchema } from './app.ts';

const config = loadConfig(QueryApiConfigSchema, process.env, { prefix: 'QUERY_API_' });
const logger = createLogger({ service: 'query-api', level: config.LOG_LEVEL });
const app = await build({ config, logger });
closeOnSignals({ logger, exit: (code) => process.exit(code), close: () => app.close() });
await app.listen({ host: config.HOST, port: config.PORT });
