// What both entry points (main.ts and the reprocess command) do once they have their jobs: the jobs
// file they read by default, and the processor built, served and closed on SIGTERM.
import { fileURLToPath } from 'node:url';
import { closeOnSignals } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import {
  buildProcessor,
  processorOptionsOf,
  type Job,
  type ProcessorConfig,
  type ProcessorDependencies,
} from './app.ts';

/** The jobs file the configuration names, or this service's jobs/default.json. */
export function jobsFileOf(config: ProcessorConfig): string {
  return config.JOBS_FILE || fileURLToPath(new URL('../jobs/default.json', import.meta.url));
}

/**
 * Builds the processor for `jobs`, closes it (and its Redis) on SIGTERM or SIGINT, and listens. A job's
 * consumer giving up exits the process with 1, for the supervisor to restart it.
 */
export async function serveProcessor(
  config: ProcessorConfig,
  jobs: readonly Job[],
  deps: Omit<ProcessorDependencies, 'onFatal'>,
): Promise<FastifyInstance> {
  const app = buildProcessor(processorOptionsOf(config, jobs), { ...deps, onFatal: () => process.exit(1) });
  closeOnSignals({
    logger: deps.logger,
    exit: (code) => process.exit(code),
    close: async () => {
      await app.close();
      deps.redis?.disconnect();
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  return app;
}
