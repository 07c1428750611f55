// Writes every event schema of @tideline/contracts as a JSON Schema file under
// packages/contracts/schemas/, for consumers outside TypeScript (Kibana mappings, other languages).
// The files are committed; tests/deploy/generated.test.ts fails when they are stale.
//   node scripts/generate-schemas.ts [--check]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventSchemas } from '@tideline/contracts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaDir = path.join(root, 'packages', 'contracts', 'schemas');

/** File name → JSON text, exactly as written to disk. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [kind, schema] of Object.entries(EventSchemas)) {
    const name = kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const document = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `tideline/${name}.json`,
      ...schema,
    };
    files.set(`${name}.schema.json`, `${JSON.stringify(document, null, 2)}\n`);
  }
  return files;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  await mkdir(schemaDir, { recursive: true });
  for (const [file, text] of renderSchemas()) {
    const target = path.join(schemaDir, file);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === text) continue;
    if (check) stale.push(file);
    else await writeFile(target, text);
  }
  if (stale.length > 0) {
    console.error(`stale generated schemas (run node scripts/generate-schemas.ts): ${stale.join(', ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
