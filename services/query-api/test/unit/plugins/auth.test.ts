import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '@tideline/config';
import { QueryApiConfigSchema } from '../../../src/config.ts';
import { parseApiKeys } from '../../../src/plugins/auth.ts';

test('API keys parse into digests and scopes, never keeping the secret', () => {
  const keys = parseApiKeys('read-key-0123456789abcdef:read,admin-key-0123456789abcdef:read+admin');
  assert.equal(keys.length, 2);
  assert.deepEqual([...keys[1]!.scopes], ['read', 'admin']);
  assert.equal(keys[0]!.digest.length, 32);
  assert.ok(!JSON.stringify(keys).includes('read-key-0123456789abcdef'));
  assert.deepEqual(parseApiKeys(''), []);
});

test('the config refuses malformed keys, schemas and namespaces, all at once', () => {
  assert.throws(
    () =>
      loadConfig(
        QueryApiConfigSchema,
        {
          QUERY_API_API_KEYS: 'short:read',
          QUERY_API_PG_SCHEMA: 'x; DROP SCHEMA public',
          QUERY_API_STATE_NAMESPACE: 'a:b',
          QUERY_API_TYPO: '1',
        },
        { prefix: 'QUERY_API_' },
      ),
    (error: { problems: { key: string }[] }) => {
      assert.deepEqual(error.problems.map((p) => p.key).sort(), [
        'QUERY_API_API_KEYS',
        'QUERY_API_PG_SCHEMA',
        'QUERY_API_STATE_NAMESPACE',
        'QUERY_API_TYPO',
      ]);
      return true;
    },
  );
});
