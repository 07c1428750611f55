import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '@tideline/service-kit';
import { QueryErrorCode } from '../errors.ts';

/** What a route may require. `read` for data, `admin` for the reprocessing cut-over. */
export const Scope = { read: 'read', admin: 'admin' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export interface ApiKey {
  /** A short non-secret id (hash prefix) for logs and rate limiting. */
  readonly id: string;
  readonly digest: Buffer;
  readonly scopes: ReadonlySet<string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request authenticated with; undefined when it sent none. */
    apiKey: ApiKey | undefined;
  }
  interface FastifyContextConfig {
    /** The scope a route requires; a route without one is open (health, metrics, docs, the page). */
    scope?: Scope;
    /** Lets the key come as `?api_key=` (EventSource cannot send headers). */
    keyInQuery?: boolean;
  }
}

/** Parses `key:read+admin,key2:read` (the config pattern has already checked the shape). */
export function parseApiKeys(text: string): ApiKey[] {
  if (text === '') return [];
  return text.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    const secret = entry.slice(0, at);
    const digest = sha256(secret);
    return {
      id: digest.subarray(0, 6).toString('hex'),
      digest,
      scopes: new Set(entry.slice(at + 1).split('+')),
    };
  });
}

/**
 * Authenticates every request of a route that declares a scope: 401 without a valid key, 403 with a
 * key that lacks the scope. Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * configured key without stopping at a match, so the time taken tells nothing about any key.
 */
export function registerAuth(
  app: FastifyInstance,
  options: { keys: ApiKey[]; anonymousScopes: string },
): void {
  const anonymous = new Set(options.anonymousScopes === '' ? [] : options.anonymousScopes.split('+'));
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
    const presented = presentedKey(request);
    if (presented !== undefined) request.apiKey = findKey(options.keys, presented);
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    if (presented === undefined) {
      if (anonymous.has(scope)) return;
      throw new ServiceError(QueryErrorCode.unauthenticated, 'an API key is required (x-api-key header)', {
        statusCode: 401,
      });
    }
    if (request.apiKey === undefined)
      throw new ServiceError(QueryErrorCode.unauthenticated, 'the API key is not valid', { statusCode: 401 });
    if (!request.apiKey.scopes.has(scope))
      throw new ServiceError(QueryErrorCode.forbidden, `the API key lacks the '${scope}' scope`, {
        statusCode: 403,
      });
  });
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7);
  if (request.routeOptions.config.keyInQuery) {
    const fromQuery = (request.query as { api_key?: unknown } | undefined)?.api_key;
    if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  }
  return undefined;
}

function findKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = sha256(presented);
  let found: ApiKey | undefined;
  for (const key of keys) if (timingSafeEqual(key.digest, digest) && found === undefined) found = key;
  return found;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
