import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unwrapJsonStrings } from '../../../src/formats/json-string-unwrap.ts';

async function unwrap(text: string, chunkBytes: number, depth = 2): Promise<string> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
  }
  const out: Buffer[] = [];
  for await (const piece of unwrapJsonStrings(chunks(), depth)) out.push(piece);
  return Buffer.concat(out).toString();
}

test('unwrapJsonStrings decodes a document encoded twice, whatever the chunk size', async () => {
  const inner = JSON.stringify([{ node_name: 'Node 1', note: 'a "quote", a \\ and 🌊 é\n', t: 1 }]);
  for (const once of [JSON.stringify(inner), JSON.stringify(JSON.stringify(inner))]) {
    for (const size of [1, 2, 3, 5, 7, 64])
      assert.equal(await unwrap(once, size), inner, `chunks of ${size}`);
  }
  // \u escapes, surrogate pairs included, cut anywhere.
  const escaped = '"[\\"\\u00e9\\ud83c\\udf0a\\"]"';
  for (const size of [1, 2, 3, 4, 5]) assert.equal(await unwrap(escaped, size), '["é🌊"]');
});

test('unwrapJsonStrings passes a document that is not a string through untouched', async () => {
  assert.equal(await unwrap('  [1, 2]', 3), '[1, 2]');
});

test('unwrapJsonStrings rejects an unterminated string and data after it', async () => {
  await assert.rejects(unwrap('"[1, 2]', 4), { name: 'PayloadError' });
  await assert.rejects(unwrap('"[1]" x', 4, 1), { name: 'PayloadError' });
});
