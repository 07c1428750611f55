import type { FastifyInstance } from 'fastify';

/** The OpenAPI document @fastify/swagger builds from the route schemas. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
