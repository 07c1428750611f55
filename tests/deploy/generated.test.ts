// Generated files are committed; this fails when regenerating them would change anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { renderSchemas, schemaDir } from '../../scripts/generate-schemas.ts';

test('the committed JSON Schemas of the contracts match what the contracts generate', async () => {
  const expected = renderSchemas();
  const committed = (await readdir(schemaDir)).filter((f) => f.endsWith('.schema.json')).sort();
  assert.deepEqual(committed, [...expected.keys()].sort(), 'one file per event kind, no leftovers');
  for (const [file, text] of expected) {
    assert.equal(
      await readFile(path.join(schemaDir, file), 'utf8'),
      text,
      `${file} is stale: node scripts/generate-schemas.ts`,
    );
  }
});
