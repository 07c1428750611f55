import type { FastifyInstance } from 'fastify';

/** A readiness check: resolves when the dependency answers, rejects with the reason otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  /** Named checks run by /readyz; all must pass for 200. */
  checks: Record<string, ReadinessCheck>;
  /** Per-check time limit so a hanging dependency answers 503 instead of hanging the probe. */
  checkTimeoutMs?: number;
}

/**
 * /healthz answers 200 while the process serves requests (liveness);
 * /readyz answers 200 only when every dependency check passes (readiness), 503 with reasons otherwise,
 * and 503 once shutdown has begun so load balancers drain the instance first.
 */
export function registerHealth(app: FastifyInstance, options: HealthOptions): void {
  const timeoutMs = options.checkTimeoutMs ?? 2000;
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
  });
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const results: Record<string, string> = {};
    let ready = !closing;
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          results[name] = 'ok';
        } catch (error) {
          ready = false;
          results[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (closing) results.shutdown = 'in progress';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
