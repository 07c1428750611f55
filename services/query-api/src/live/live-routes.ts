// The live view: server-sent events fed from the processor's Redis update channels, and the page
// that draws them (uPlot, served from node_modules: no CDN).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { Feed } from '@tideline/contracts';
import { ServiceError } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { QueryErrorCode } from '../errors.ts';
import { Scope } from '../plugins/auth.ts';
import type { RouteContext } from '../routes/context.ts';
import { FeedSchema, withErrors } from '../routes/schemas.ts';
import { UpdateHub } from './update-hub.ts';

const assetDir = new URL('./assets/', import.meta.url);
const uplotDir = path.dirname(createRequire(import.meta.url).resolve('uplot'));

/** Files the page needs, read once at start-up: name → [content type, body]. */
function loadAssets(): Map<string, [string, Buffer]> {
  const read = (url: URL | string) => readFileSync(url);
  return new Map<string, [string, Buffer]>([
    ['index.html', ['text/html; charset=utf-8', read(new URL('index.html', assetDir))]],
    ['app.js', ['text/javascript; charset=utf-8', read(new URL('app.js', assetDir))]],
    ['app.css', ['text/css; charset=utf-8', read(new URL('app.css', assetDir))]],
    ['uplot.js', ['text/javascript; charset=utf-8', read(path.join(uplotDir, 'uPlot.iife.min.js'))]],
    ['uplot.css', ['text/css; charset=utf-8', read(path.join(uplotDir, 'uPlot.min.css'))]],
  ]);
}

export function registerLiveRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const assets = loadAssets();
  const subscriber = new Redis(ctx.config.REDIS_URL, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** attempt),
  });
  subscriber.on('error', (error) => app.log.debug({ err: error }, 'redis subscriber error'));
  const hub = new UpdateHub(subscriber);
  const open = new Set<ServerResponse>();

  app.get('/live', { schema: { hide: true } }, async (_request, reply) => {
    const [type, body] = assets.get('index.html') as [string, Buffer];
    return reply.type(type).header('cache-control', 'no-cache').send(body);
  });
  app.get(
    '/live/assets/:name',
    { schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z.]{1,32}$' }) }) } },
    async (request, reply) => {
      const asset = assets.get((request.params as { name: string }).name);
      if (asset === undefined || asset[0].startsWith('text/html'))
        throw new ServiceError('TL_ERR_NOT_FOUND', 'no such asset', { statusCode: 404 });
      return reply.type(asset[0]).header('cache-control', 'public, max-age=300').send(asset[1]);
    },
  );

  app.get(
    '/v1/live/:feed/:key',
    {
      config: { scope: Scope.read, keyInQuery: true },
      schema: {
        tags: ['live'],
        summary: 'Server-sent events: every update of one series as the processor commits it',
        description:
          'Events `update` with data `{ "field": "reading" | "alert" | "window:<job>", "value": {...} }`. ' +
          'EventSource cannot send headers, so the key may come as `api_key`.',
        params: Type.Object({
          feed: FeedSchema,
          key: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
        }),
        querystring: Type.Object(
          { api_key: Type.Optional(Type.String({ maxLength: 256 })) },
          { additionalProperties: false },
        ),
        produces: ['text/event-stream'],
        response: withErrors({}),
      },
    },
    async (request, reply) => {
      if (open.size >= ctx.config.MAX_LIVE_CLIENTS)
        throw new ServiceError(QueryErrorCode.tooManyStreams, 'too many live streams; retry later', {
          statusCode: 503,
          canRetry: true,
        });
      const { feed, key } = request.params as { feed: Feed; key: string };
      const version = await app.versions.forFeed(feed);
      const res = reply.raw;
      const send = (message: string) => {
        // Each line of the payload is its own data: field, so no message can break the framing.
        res.write(
          `event: update\n${message
            .split('\n')
            .map((line) => `data: ${line}\n`)
            .join('')}\n`,
        );
        app.queryMetrics.liveMessages.inc();
      };
      let stop: () => Promise<void>;
      try {
        stop = await hub.listen(ctx.keys.updates(feed, key, version), send);
      } catch (error) {
        throw new ServiceError('TL_ERR_UNAVAILABLE', 'live updates are unavailable', {
          statusCode: 503,
          canRetry: true,
          cause: error,
        });
      }
      reply.hijack();
      // Headers set by hooks so far (CORS, rate limit) go out with the hijacked response too.
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ feed, key, version })}\n\n`);
      open.add(res);
      app.queryMetrics.liveClients.set(open.size);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), ctx.config.LIVE_HEARTBEAT_MS);
      res.on('close', () => {
        clearInterval(heartbeat);
        open.delete(res);
        app.queryMetrics.liveClients.set(open.size);
        void stop();
      });
    },
  );

  // Streams never end by themselves: end them so that close() does not wait on them.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
  app.addHook('onClose', async () => {
    hub.close();
  });
}
