// The reprocessing view: a job's output versions, which one the API serves, and the cut-over.
import { Type } from '@sinclair/typebox';
import type { JobVersionState } from '@tideline/contracts';
import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import { QueryErrorCode } from '../errors.ts';
import { Scope } from '../plugins/auth.ts';
import type { RouteContext } from './context.ts';
import { JobNameSchema, withErrors } from './schemas.ts';

const JobVersionSchema = Type.Object({
  job: Type.String(),
  version: Type.Integer(),
  status: Type.String({ description: 'catching-up, caught-up, serving or retired' }),
  startedAtMs: Type.Integer(),
  caughtUpAtMs: Type.Optional(Type.Integer()),
  servingSinceMs: Type.Optional(Type.Integer()),
});

const JobSchema = Type.Object(
  {
    job: Type.String(),
    serving: Type.Integer({ description: 'The version the API serves (1 when never cut over)' }),
    versions: Type.Array(JobVersionSchema),
  },
  { $id: 'Job', title: 'Job' },
);

export interface JobView {
  job: string;
  serving: number;
  versions: JobVersionState[];
}

const SCAN_LIMIT = 10_000;

export function registerJobRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.addSchema(JobSchema);
  const read = async (job: string): Promise<JobView | undefined> => {
    const hash = await redisCall(() => app.redis.hgetall(ctx.keys.jobs(job)));
    return Object.keys(hash).length === 0 ? undefined : toView(job, hash);
  };

  app.get(
    '/v1/jobs',
    {
      config: { scope: Scope.read },
      schema: {
        tags: ['reprocessing'],
        summary: 'Every job with output versions recorded',
        response: withErrors({ 200: Type.Object({ items: Type.Array(Type.Ref('Job')) }) }),
      },
    },
    async () => {
      const prefix = ctx.keys.jobs('');
      const names: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redisCall(() =>
          app.redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500),
        );
        cursor = next;
        for (const key of keys) names.push(key.slice(prefix.length));
      } while (cursor !== '0' && names.length < SCAN_LIMIT);
      const views = await Promise.all([...new Set(names)].sort().map((name) => read(name)));
      return { items: views.filter((v): v is JobView => v !== undefined) };
    },
  );

  app.get(
    '/v1/jobs/:job',
    {
      config: { scope: Scope.read },
      schema: {
        tags: ['reprocessing'],
        summary: 'A job\u2019s output versions and the one served',
        params: Type.Object({ job: JobNameSchema }),
        response: withErrors({ 200: Type.Ref('Job') }),
      },
    },
    async (request) => {
      const { job } = request.params as { job: string };
      const view = await read(job);
      if (view === undefined)
        throw new ServiceError(CommonErrorCodes.notFound, `no job '${job}'`, { statusCode: 404 });
      return view;
    },
  );

  app.post(
    '/v1/jobs/:job/cut-over',
    {
      config: { scope: Scope.admin },
      schema: {
        tags: ['reprocessing'],
        summary: 'Serve another output version of a job (admin scope)',
        params: Type.Object({ job: JobNameSchema }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            force: Type.Optional(
              Type.Boolean({ description: 'Cut over to a version that has not caught up (default false)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Ref('Job'), 409: Type.Ref('Error') }),
      },
    },
    async (request) => {
      const { job } = request.params as { job: string };
      const { version, force = false } = request.body as { version: number; force?: boolean };
      const key = ctx.keys.jobs(job);
      // Optimistic transaction: if the registry changes between our read and our write (the
      // reprocessing command marking a version caught up), the write is refused and the client retries.
      // WATCH belongs to a connection: a connection of its own keeps other requests out of it.
      const conn = app.redis.duplicate({ lazyConnect: true, enableOfflineQueue: true });
      const result = await redisCall(async () => {
        await conn.connect();
        await conn.watch(key);
        try {
          const hash = await conn.hgetall(key);
          const view = toView(job, hash);
          const target = view.versions.find((v) => v.version === version);
          if (target === undefined)
            throw new ServiceError(QueryErrorCode.unknownVersion, `job '${job}' has no version ${version}`, {
              statusCode: 404,
            });
          if (!force && target.status !== 'caught-up' && target.status !== 'serving')
            throw new ServiceError(
              QueryErrorCode.notCaughtUp,
              `version ${version} is ${target.status}; cut over when it has caught up, or force`,
              { statusCode: 409 },
            );
          const nowMs = Date.now();
          const tx = conn.multi().hset(key, 'serving', String(version));
          if (view.serving !== version) {
            tx.hset(
              key,
              `v${version}`,
              JSON.stringify({ ...target, status: 'serving', servingSinceMs: nowMs }),
            );
            const previous = view.versions.find((v) => v.version === view.serving);
            if (previous !== undefined) {
              const { servingSinceMs: _dropped, ...rest } = previous;
              tx.hset(key, `v${previous.version}`, JSON.stringify({ ...rest, status: 'caught-up' }));
            }
          }
          const committed = await tx.exec();
          if (committed === null)
            throw new ServiceError(
              QueryErrorCode.cutOverConflict,
              'the job registry changed meanwhile; retry',
              {
                statusCode: 409,
                canRetry: true,
              },
            );
          return toView(job, await conn.hgetall(key));
        } finally {
          conn.disconnect();
        }
      });
      app.versions.invalidate();
      ctx.cache.clear();
      request.log.info({ job, version, force }, 'cut over');
      return result;
    },
  );
}

function toView(job: string, hash: Record<string, string>): JobView {
  const versions: JobVersionState[] = [];
  for (const [field, text] of Object.entries(hash)) {
    if (!/^v\d+$/.test(field)) continue;
    try {
      const state = JSON.parse(text) as JobVersionState;
      versions.push({ ...state, job, version: Number(field.slice(1)) });
    } catch {
      // An unreadable entry is left out rather than failing the whole view.
    }
  }
  versions.sort((a, b) => a.version - b.version);
  const serving = Number(hash.serving ?? '1');
  return { job, serving: Number.isSafeInteger(serving) && serving >= 1 ? serving : 1, versions };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError(CommonErrorCodes.unavailable, 'the job registry (Redis) is unavailable', {
      statusCode: 503,
      canRetry: true,
      cause: error,
    });
  }
}
