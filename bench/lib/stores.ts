// PostgreSQL and Elasticsearch of the local stack as the suite and `pnpm bench all` see them: where they
// are, how to read what the sinks wrote into a run's own schema and index prefix, and how to delete it.
import pg from 'pg';

export const stores = {
  postgresUrl:
    process.env.DATABASE_URL ?? `postgres://tideline@127.0.0.1:${process.env.PG_PORT ?? '5432'}/tideline`,
  elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`,
} as const;

/** host and port of a URL, for a TCP proxy in front of the store. */
export function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

/** The same URL with its port replaced (the service then talks to the store through a proxy). */
export function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString().replace(/\/$/, '');
}

export function pgPool(url = stores.postgresUrl): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 2 });
}

export async function dropSchema(schema: string, url = stores.postgresUrl): Promise<void> {
  const pool = pgPool(url);
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

/** GET/POST/DELETE on Elasticsearch; the parsed JSON body (404 gives undefined). */
export async function es<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  url = stores.elasticsearchUrl,
): Promise<T | undefined> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 404) return undefined;
  const text = await response.text();
  if (!response.ok)
    throw new Error(`Elasticsearch ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Deletes every index and index template of `prefix` (by name: wildcard deletes are refused). */
export async function deleteIndexPrefix(prefix: string, url = stores.elasticsearchUrl): Promise<void> {
  const indices = Object.keys(
    (await es<Record<string, unknown>>('GET', `/${prefix}-*?expand_wildcards=all`, undefined, url)) ?? {},
  );
  for (let i = 0; i < indices.length; i += 50) {
    await es('DELETE', `/${indices.slice(i, i + 50).join(',')}`, undefined, url);
  }
  const templates =
    (await es<{ index_templates: { name: string }[] }>('GET', `/_index_template/${prefix}-*`, undefined, url))
      ?.index_templates ?? [];
  for (const { name } of templates) await es('DELETE', `/_index_template/${name}`, undefined, url);
}
