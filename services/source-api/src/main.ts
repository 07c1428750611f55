// Composition root: config (every error at once) → logger → app → listen → close on SIGTERM/SIGINT.
import { loadConfig } from '@tideline/config';
import { createLogger } from '@tideline/logging';
import { closeOnSignals } from '@tideline/service-kit';
import { buildSourceApi } from './app.ts';
import { CONFIG_PREFIX, SourceApiConfigSchema } from './config.ts';

const config = loadConfig(SourceApiConfigSchema, process.env, { prefix: CONFIG_PREFIX });
const logger = createLogger({ service: 'source-api', level: config.LOG_LEVEL });
const app = buildSourceApi(config, { logger });
await app.listen({ port: config.PORT, host: config.HOST });
logger.info({ seed: config.SEED, symbols: config.SYMBOLS }, 'source-api ready');
closeOnSignals({ logger, close: () => app.close(), exit: (code) => process.exit(code) });
