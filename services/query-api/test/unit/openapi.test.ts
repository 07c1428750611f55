import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApiFile, renderOpenApi } from '../../scripts/generate-openapi.ts';

test('the committed OpenAPI document matches what the route schemas generate', async () => {
  const committed = JSON.parse(await readFile(openApiFile, 'utf8')) as object;
  assert.deepEqual(
    committed,
    await renderOpenApi(),
    'stale: node services/query-api/scripts/generate-openapi.ts',
  );
});
