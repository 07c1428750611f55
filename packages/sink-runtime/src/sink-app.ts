import {
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  type ReadinessCheck,
  type Registry,
} from '@tideline/service-kit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { SinkRunner } from './sink-runner.ts';

export interface SinkAppOptions {
  readonly runner: SinkRunner;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The store: its check's name in /readyz (`postgres`), what to call it in messages, its check. */
  readonly store: { readonly name: string; readonly label: string; readonly check: ReadinessCheck };
  /**
   * Housekeeping of the store (partitions, templates, retention), run on `ready()` and then every
   * `intervalMs`; its failure is logged as `<what> failed` and retried at the next interval.
   */
  readonly maintenance: { readonly what: string; readonly intervalMs: number; run(): Promise<void> };
  /** Runs on `ready()` after the runner starts. */
  readonly onReady?: () => void;
  /** Runs on `close()` after the runner has drained and maintenance has settled. */
  readonly onClose?: () => Promise<void>;
}

/**
 * The HTTP side and lifecycle both sinks share: /healthz, /readyz (Kafka through the runner, and the
 * store), /metrics, /v1/status, and periodic maintenance of the store. `ready()` maintains once and
 * starts consuming; `close()` stops maintenance, drains the batch in hand, then calls `onClose`.
 */
export function buildSinkApp(options: SinkAppOptions): FastifyInstance {
  const { runner, logger, store, maintenance } = options;
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  registerErrorHandling(app);
  registerHealth(app, {
    checks: {
      kafka: async () => {
        if (!runner.ready) throw new Error(`not connected to Kafka, or ${store.label} refuses writes`);
      },
      [store.name]: store.check,
    },
  });
  registerMetrics(app, options.registry);
  app.get('/v1/status', async () => ({ topics: runner.subscribedTopics, stats: runner.stats() }));

  let maintaining: Promise<void> | undefined;
  const maintain = async (): Promise<void> => {
    try {
      await maintenance.run();
    } catch (error) {
      logger.warn({ err: error }, `${maintenance.what} failed; retried at the next interval`);
    }
  };
  const timer = setInterval(() => {
    maintaining = maintain();
  }, maintenance.intervalMs);
  timer.unref();
  app.addHook('onReady', async () => {
    maintaining = maintain();
    runner.start();
    options.onReady?.();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await runner.close();
    await maintaining;
    await options.onClose?.();
  });
  return app;
}
