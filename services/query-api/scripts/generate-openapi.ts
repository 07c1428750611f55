// Writes the query API's OpenAPI document (generated from the route schemas) to
// services/query-api/openapi.json, for clients that generate code from it. The file is committed;
// test/unit/openapi.test.ts fails when it is stale.
//   node services/query-api/scripts/generate-openapi.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { build, type QueryApiConfig } from '../src/app.ts';
import { QueryApiConfigSchema } from '../src/config.ts';
import { Value } from '@sinclair/typebox/value';

export const openApiFile = fileURLToPath(new URL('../openapi.json', import.meta.url));

/** The document the running service serves at /openapi.json. */
export async function renderOpenApi(): Promise<object> {
  // Defaults only; no request is served, so PostgreSQL is never asked anything.
  const config = Value.Default(QueryApiConfigSchema, {}) as QueryApiConfig;
  const app = await build({ config, logger: pino({ level: 'silent' }) });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(openApiFile, `${JSON.stringify(await renderOpenApi(), null, 2)}\n`);
  console.log(`wrote ${openApiFile}`);
}
