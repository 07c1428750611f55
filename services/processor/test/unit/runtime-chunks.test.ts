import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkByBytes } from '../../src/runtime/chunks.ts';

test('sends are split so that no topic carries more than the budget, every message once and in order', () => {
  // 936 characters plus the 64-byte record overhead: 1,000 bytes a message.
  const input = [
    {
      topic: 'a',
      messages: Array.from({ length: 25 }, (_, i) => ({ key: null, value: `${i}`.padEnd(936, 'x') })),
    },
    { topic: 'b', messages: [{ key: null, value: 'x'.repeat(936) }] },
  ];
  const chunks = chunkByBytes(input, 10_000);
  // Topic a needs three sends of at most ten messages; topic b rides in the first.
  assert.deepEqual(
    chunks.map((c) => c.map((g) => [g.topic, g.messages.length])),
    [
      [
        ['a', 10],
        ['b', 1],
      ],
      [['a', 10]],
      [['a', 5]],
    ],
  );
  const ofA = chunks.flatMap((c) =>
    c.filter((g) => g.topic === 'a').flatMap((g) => g.messages.map((m) => m.value)),
  );
  assert.deepEqual(
    ofA,
    input[0]?.messages.map((m) => m.value),
  );
});
