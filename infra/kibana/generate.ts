// Renders saved-objects.ndjson from saved-objects.ts: `node infra/kibana/generate.ts`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderNdjson } from './saved-objects.ts';

export const ndjsonPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'saved-objects.ndjson');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeFile(ndjsonPath, renderNdjson());
  console.log(`wrote ${ndjsonPath}`);
}
