import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError, type Counter } from '@tideline/service-kit';
import { SourceApiErrorCodes } from '../errors.ts';
import { Stream, uniform } from '../sim/random.ts';
import type { Simulation } from '../simulation.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The request faults (outage, delay, errors) apply to this route. */
    faultable?: boolean;
  }
}

/** Route config of the data routes: the request faults apply to them. */
export const FAULTABLE = { faultable: true } as const;

function isFaultable(request: FastifyRequest): boolean {
  return request.routeOptions.config?.faultable === true;
}

/**
 * Request faults, before anything else so an outage fails even a malformed request, like a real one:
 * during an outage answer 503 with Retry-After; otherwise wait `delayMs`, then answer 500 with
 * probability `errorRate` (drawn from the seed and the request's number since the settings changed).
 */
export function registerAvailabilityFaults(
  app: FastifyInstance,
  sim: Simulation,
  injected: Counter<'fault'>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isFaultable(request)) return;
    const faults = sim.faults.settings;
    const nowMs = sim.clock();
    if (nowMs < faults.outageUntilMs) {
      injected.inc({ fault: 'outage' });
      void reply.header('retry-after', String(Math.ceil((faults.outageUntilMs - nowMs) / 1000)));
      throw new ServiceError(
        SourceApiErrorCodes.outage,
        `source outage until ${new Date(faults.outageUntilMs).toISOString()}`,
        {
          statusCode: 503,
          canRetry: true,
        },
      );
    }
    if (faults.delayMs > 0) {
      injected.inc({ fault: 'delay' });
      await sleep(faults.delayMs);
    }
    if (
      faults.errorRate > 0 &&
      uniform(sim.seed, Stream.faultError, sim.faults.nextRequest()) < faults.errorRate
    ) {
      injected.inc({ fault: 'error' });
      throw new ServiceError(SourceApiErrorCodes.injectedFailure, 'injected failure', {
        statusCode: 500,
        canRetry: true,
      });
    }
  });
}
