import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import { stateKeys } from '@tideline/contracts';
import {
  createRegistry,
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  ServiceError,
  type ErrorBody,
  type Registry,
} from '@tideline/service-kit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { QueryApiConfig } from './config.ts';
import { QueryErrorCode } from './errors.ts';
import { registerLiveRoutes } from './live/live-routes.ts';
import { parseApiKeys, registerAuth } from './plugins/auth.ts';
import { registerQueryMetrics } from './plugins/metrics.ts';
import { registerLatestState } from './plugins/latest-state.ts';
import { registerPg } from './plugins/pg.ts';
import { registerRedis } from './plugins/redis.ts';
import { registerVersions } from './plugins/versions.ts';
import { ResultCache } from './query/result-cache.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import type { RouteContext } from './routes/context.ts';
import { registerHistoryRoutes } from './routes/history.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerLatestRoutes } from './routes/latest.ts';
import { registerMovingAverageRoutes } from './routes/moving-averages.ts';
import { ErrorSchema } from './routes/schemas.ts';
import { registerSeriesRoutes } from './routes/series.ts';

export type { QueryApiConfig } from './config.ts';
export { QueryApiConfigSchema } from './config.ts';
export { QueryErrorCode } from './errors.ts';

export interface BuildOptions {
  config: QueryApiConfig;
  logger: Logger;
  registry?: Registry;
}

/** Routes that no load shedding may refuse: a liveness probe failing under load would restart us. */
const NEVER_SHED = new Set(['/healthz']);

/**
 * Builds the query API without listening: PostgreSQL pool, Redis client, auth, rate limits, CORS,
 * load shedding, OpenAPI document and docs page, the /v1 routes and the live view. `close()` ends
 * live streams and closes the clients.
 */
export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const { config, logger } = options;
  const registry = options.registry ?? createRegistry('query-api');
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Unknown query fields are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    routerOptions: { maxParamLength: 200 },
    // Our own request log (below) leaves the live stream's api_key out of the logged URL.
    disableRequestLogging: true,
    // Errors found before routing (a malformed URL, a bad content type) answer in our shape too.
    frameworkErrors: (error, request, reply) => {
      const body: ErrorBody = { error: { code: error.code, message: error.message, requestId: request.id } };
      void (reply as FastifyReply).code(error.statusCode ?? 400).send(body);
    },
  });
  // One line per request at debug, as every service (a polled API at info fills disks); keys redacted.
  const logRequests = logger.isLevelEnabled('debug');
  app.addHook('onResponse', async (request, reply) => {
    if (!logRequests) return;
    request.log.debug(
      {
        method: request.method,
        url: request.url.replace(/([?&]api_key=)[^&]*/, '$1[redacted]'),
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });
  app.addSchema(ErrorSchema);
  registerErrorHandling(app);

  const keys = stateKeys(config.STATE_NAMESPACE);
  const pool = registerPg(app, {
    url: config.PG_URL,
    schema: config.PG_SCHEMA,
    poolMax: config.PG_POOL_MAX,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
  });
  const redis = registerRedis(app, config.REDIS_URL);
  registerVersions(app, { redis, keys, cacheMs: config.SERVING_CACHE_MS });
  const metrics = registerQueryMetrics(app, registry);
  registerLatestState(app, {
    url: config.REDIS_URL,
    redis,
    maxEntries: config.LATEST_CACHE_MAX_ENTRIES,
    metrics,
  });
  registerAuth(app, { keys: parseApiKeys(config.API_KEYS), anonymousScopes: config.ANONYMOUS_SCOPES });

  await app.register(underPressure, {
    maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
    retryAfter: config.RETRY_AFTER_S,
    // Shed load too when requests queue for PostgreSQL connections faster than they are served.
    healthCheck: async () => pool.waitingCount <= config.PG_MAX_QUEUED,
    healthCheckInterval: 500,
    pressureHandler: (request, reply) => {
      if (NEVER_SHED.has(request.url)) return undefined;
      void reply.header('retry-after', String(config.RETRY_AFTER_S));
      return Promise.reject(
        new ServiceError(QueryErrorCode.overloaded, 'the service is overloaded; retry later', {
          statusCode: 503,
          canRetry: true,
        }),
      );
    },
  });
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request) =>
      request.apiKey === undefined ? `ip:${request.ip}` : `key:${request.apiKey.id}`,
    // Open routes (health, metrics, docs, the page) are not counted.
    allowList: (request) => request.routeOptions.config.scope === undefined,
    errorResponseBuilder: (_request, context) =>
      new ServiceError(QueryErrorCode.rateLimited, `rate limit exceeded; retry in ${context.after}`, {
        statusCode: 429,
        canRetry: true,
      }),
  });
  const origins = config.CORS_ORIGINS.split(',').filter((o) => o !== '');
  await app.register(cors, {
    origin: origins.length === 0 ? false : origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['x-api-key', 'authorization', 'content-type', 'accept'],
    maxAge: 600,
  });
  await app.register(swagger, {
    // Shared schemas keep their names (Error, Series, Job) in components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tideline query API',
        version: '1.0.0',
        description: 'History, latest values, alerts, moving averages and reprocessing of Tideline.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  registerHealth(app, {
    checks: {
      postgres: async () => {
        await pool.query('SELECT 1');
      },
      redis: async () => {
        await redis.ping();
      },
    },
  });
  registerMetrics(app, registry);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx: RouteContext = {
    config,
    keys,
    cache: new ResultCache({
      ttlMs: config.HISTORY_CACHE_MS,
      staleMs: config.HISTORY_CACHE_STALE_MS,
      onRefreshError: (error) =>
        app.log.warn({ err: error }, 'refreshing a cached history page failed; the older page is served'),
    }),
  };
  registerSeriesRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerLatestRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  registerMovingAverageRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerLiveRoutes(app, ctx);
  return app;
}
