import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Check } from '../../../src/upload/utf8-check.ts';

function check(chunks: Buffer[]): boolean {
  const utf8 = new Utf8Check();
  return chunks.every((c) => utf8.push(c)) && utf8.end();
}

test('Utf8Check accepts characters split across chunks at every byte', () => {
  const text = Buffer.from('prix: 12€ — 水位 🌊 ok');
  for (let cut = 0; cut <= text.length; cut++) {
    assert.equal(check([text.subarray(0, cut), text.subarray(cut)]), true, `cut at ${cut}`);
  }
});

test('Utf8Check rejects invalid bytes, and a body that ends inside a character', () => {
  assert.equal(check([Buffer.from('caf'), Buffer.from([0xe9, 0x0a])]), false);
  assert.equal(check([Buffer.from([0x80])]), false);
  assert.equal(check([Buffer.from('ok'), Buffer.from([0xe2, 0x82])]), false);
});
