import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  /** Closes everything the service opened, flushing what it holds. */
  close: () => Promise<void>;
  /** After this long the process exits anyway, so an orchestrator never waits forever. */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  /** Ends the process; main.ts passes `process.exit` (packages never exit by themselves). */
  exit: (code: number) => void;
}

/**
 * Installs SIGTERM/SIGINT handlers for a service's main.ts: close once, exit 0 on success,
 * 1 on failure or when closing takes longer than the timeout. A second signal forces the exit.
 */
export function closeOnSignals(options: ShutdownOptions): void {
  const timeoutMs = options.timeoutMs ?? 25_000;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      options.exit(1);
    }
    closing = true;
    options.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      options.logger.error({ timeoutMs }, 'shutdown timed out');
      options.exit(1);
    }, timeoutMs);
    timer.unref();
    options
      .close()
      .then(() => {
        options.logger.info('closed');
        options.exit(0);
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        options.exit(1);
      });
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
}
