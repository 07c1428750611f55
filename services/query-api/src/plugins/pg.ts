import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ServiceError, CommonErrorCodes } from '@tideline/service-kit';
import { QueryErrorCode } from '../errors.ts';

export interface PgOptions {
  url: string;
  schema: string;
  poolMax: number;
  statementTimeoutMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
  }
}

/**
 * The PostgreSQL pool, with the history schema on every connection's search_path (the schema name is
 * checked by the config pattern, and quoted here anyway) and a statement timeout so that no request
 * can hold a connection for ever. Closed with the app.
 */
export function registerPg(app: FastifyInstance, options: PgOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    options: `-c search_path="${options.schema.replaceAll('"', '')}" -c statement_timeout=${options.statementTimeoutMs}`,
    application_name: 'tideline-query-api',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its server (a PostgreSQL restart) must not crash the process.
  pool.on('error', (error) => app.log.warn({ err: error }, 'idle PostgreSQL client failed'));
  app.decorate('pg', pool);
  app.addHook('onClose', async () => {
    await pool.end();
  });
  return pool;
}

/** Turns driver failures into stable API errors: a cancelled statement is a timeout, the rest unavailable. */
export function pgFailure(error: unknown): ServiceError {
  const code = (error as { code?: string }).code;
  if (code === '57014')
    return new ServiceError(QueryErrorCode.timeout, 'the query took too long; ask for a shorter range', {
      statusCode: 503,
      canRetry: true,
      cause: error,
    });
  return new ServiceError(CommonErrorCodes.unavailable, 'the history store is unavailable', {
    statusCode: 503,
    canRetry: true,
    cause: error,
  });
}

/** Runs a parameterised query, mapping failures to API errors. */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: readonly unknown[],
): Promise<R[]> {
  try {
    const result = await pool.query<R>(text, values as unknown[]);
    return result.rows;
  } catch (error) {
    throw pgFailure(error);
  }
}
