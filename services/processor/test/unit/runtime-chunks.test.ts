import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkByBytes } from '../../src/runtime/chunks.ts';

test('sends are split so that no topic carries more than the budget, every message once and in order', () => {
  const value = 'x'.repeat(936); // 1,000 bytes with the record overhead
  const input = [
    {
      topic: 'a',
      messages: Array.from({ length: 25 }, (_, i) => ({ key: null, value: `${i}`.padEnd(936, 'x') })),
    },
    { topic: 'b', messages: [{ key: null, value }] },
  ];
  const chunks = chunkByBytes(input, 10_000);
  assert.equal(chunks.length, 3);
  for (const chunk of chunks) {
    const bytes = chunk.reduce((n, g) => n + g.messages.length * 1000, 0);
    assert.ok(bytes <= 10_000);
  }
  const flat = chunks.flatMap((c) =>
    c.flatMap((g) => g.messages.map((m) => `${g.topic}:${String(m.value).slice(0, 2)}`)),
  );
  assert.deepEqual(flat, [...input[0]!.messages.map((m) => `a:${String(m.value).slice(0, 2)}`), 'b:xx']);
});
