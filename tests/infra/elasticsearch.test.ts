import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@elastic/elasticsearch';
import { stack, uniqueName } from '../support/env.ts';

test('the 8.x client creates an index, indexes a document and finds it', async () => {
  const client = new Client({ node: stack.elasticsearchUrl });
  const index = uniqueName('smoke');
  try {
    const info = await client.info();
    assert.match(info.version.number, /^8\./);
    await client.indices.create({
      index,
      mappings: {
        properties: { symbol: { type: 'keyword' }, price: { type: 'double' }, at: { type: 'date' } },
      },
    });
    await client.index({
      index,
      id: 'AGL-1',
      document: { symbol: 'AGL', price: 948.21, at: '2024-01-05T10:00:00.000Z' },
      refresh: 'wait_for',
    });
    const found = await client.search<{ symbol: string; price: number }>({
      index,
      query: { term: { symbol: 'AGL' } },
      aggs: { top: { max: { field: 'price' } } },
    });
    assert.equal(found.hits.hits.length, 1);
    assert.equal(found.hits.hits[0]?._id, 'AGL-1');
    assert.equal(found.hits.hits[0]?._source?.price, 948.21);
    assert.equal((found.aggregations?.top as { value: number }).value, 948.21);
  } finally {
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  }
});
