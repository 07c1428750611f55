import type { FastifyInstance } from 'fastify';

/**
 * One log line per request, at debug: a polled service answers many requests a second, and info-level
 * request logs grew to ~140 MB a day for the source API alone. Errors are still logged at error by the
 * error handler. Use with Fastify's `disableRequestLogging: true`.
 */
export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
  });
}
