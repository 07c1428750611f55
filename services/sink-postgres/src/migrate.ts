import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

/** Versioned SQL migrations (`<epoch ms>_<name>.sql`, `-- Up Migration` / `-- Down Migration`). */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export interface MigrateOptions {
  databaseUrl: string;
  schema: string;
  logger: Logger;
  direction?: 'up' | 'down';
  /** Migrations to run (down: how many to undo); all pending by default for up, 1 for down. */
  count?: number;
}

/**
 * Runs pending migrations with node-pg-migrate into `schema` (created when missing), recording them in
 * `<schema>.pgmigrations`. node-pg-migrate holds an advisory lock, so several sinks starting at once
 * migrate once. Returns the names of the migrations run.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const log = options.logger.child({ component: 'migrate' });
  const ran = await runner({
    databaseUrl: options.databaseUrl,
    dir: migrationsDir,
    migrationsTable: 'pgmigrations',
    schema: options.schema,
    createSchema: true,
    direction: options.direction ?? 'up',
    count: options.count ?? (options.direction === 'down' ? 1 : Infinity),
    checkOrder: true,
    log: (message: string) => log.debug(message),
    logger: {
      debug: () => undefined,
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  return ran.map((m) => m.name);
}
