import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Logger } from '@tideline/logging';
import {
  createRegistry,
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  registerRequestLogging,
} from '@tideline/service-kit';
import type { SourceApiConfig } from './config.ts';
import { registerAvailabilityFaults } from './faults/availability.ts';
import { createSourceApiMetrics } from './metrics.ts';
import { registerAdminFaultRoutes } from './routes/admin-faults.ts';
import type { RouteContext } from './routes/context.ts';
import { registerFeedRoutes } from './routes/feeds.ts';
import { registerInstrumentRoutes } from './routes/instruments.ts';
import { registerLegacyGeotechRoutes } from './routes/legacy-geotech.ts';
import { registerOpenApiRoute } from './routes/openapi.ts';
import { createSimulation, type Clock } from './simulation.ts';

export interface SourceApiDependencies {
  logger: Logger;
  /** Wall clock; defaults to Date.now. Same seed and same clock readings give the same answers. */
  clock?: Clock;
}

/**
 * Builds the source-api without listening: the simulated instruments, symbols and sensors of the
 * configured seed, the original geotechnical routes, the versioned feeds, fault injection, health,
 * metrics and the OpenAPI document.
 */
export function buildSourceApi(
  config: SourceApiConfig,
  dependencies: SourceApiDependencies,
): FastifyInstance {
  const sim = createSimulation(config, dependencies.clock ?? Date.now);
  const app = Fastify({
    loggerInstance: dependencies.logger as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    // Pollers ask many times a second: request lines go out at debug (registerRequestLogging).
    disableRequestLogging: true,
    // Unknown query keys are errors, not silently dropped: a typo like `limt` must not look like a default.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // Items are served exactly as simulated, faults included: response schemas document, they never reshape.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerRequestLogging(app);
  registerErrorHandling(app);
  const registry = createRegistry('source-api');
  registerMetrics(app, registry);
  registerHealth(app, { checks: {} });
  const metrics = createSourceApiMetrics(registry);
  registerAvailabilityFaults(app, sim, metrics.faultsInjected);

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tideline source-api',
        version: '1.0.0',
        description:
          'Deterministic simulated data source: geotechnical instruments (with the original API), trades, temperature sensors, and fault injection.',
      },
    },
  });
  // Routes load after swagger so that it sees every one of them.
  const context: RouteContext = { sim, metrics };
  void app.register(async (api) => {
    registerLegacyGeotechRoutes(api, context);
    registerInstrumentRoutes(api, context);
    registerFeedRoutes(api, context);
    if (config.ADMIN_ENABLED) registerAdminFaultRoutes(api, context);
    registerOpenApiRoute(api);
  });
  return app;
}
