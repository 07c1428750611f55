// One-shot: `node infra/kibana/import.ts` with KIBANA_URL (default http://kibana:5601), INDEX_PREFIX
// (default tideline), optionally KIBANA_AUTHORIZATION, IMPORT_ATTEMPTS, IMPORT_DELAY_MS. Exits 0 once
// every object is imported, 1 otherwise.
import { readFile } from 'node:fs/promises';
import { ndjsonPath } from './generate.ts';
import { importSavedObjects } from './import-saved-objects.ts';

try {
  const result = await importSavedObjects({
    kibanaUrl: process.env.KIBANA_URL ?? 'http://kibana:5601',
    ndjson: await readFile(ndjsonPath, 'utf8'),
    indexPrefix: process.env.INDEX_PREFIX ?? 'tideline',
    authorization: process.env.KIBANA_AUTHORIZATION,
    attempts: Number(process.env.IMPORT_ATTEMPTS ?? 60),
    delayMs: Number(process.env.IMPORT_DELAY_MS ?? 5000),
    log: (message) => console.log(message),
  });
  if (result.errors.length > 0) {
    console.error(JSON.stringify({ msg: 'Kibana refused saved objects', errors: result.errors }));
    process.exitCode = 1;
  } else {
    console.log(`imported ${result.successCount} saved objects`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
