import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '@tideline/service-kit';
import { decodeCursor, encodeCursor } from '../../../src/feeds/cursor.ts';

test('a cursor is opaque base64url and decodes to the position it was made from', () => {
  const cursor = encodeCursor('market', 'fp1', { slot: 1736942400, offset: 5 });
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor(cursor, 'market', 'fp1'), { slot: 1736942400, offset: 5 });
});

test('a cursor of another feed, fingerprint or format is refused with SOURCE_API_ERR_INVALID_CURSOR', () => {
  const cursor = encodeCursor('market', 'fp1', { slot: 1, offset: 0 });
  const forged = (text: string) => Buffer.from(text).toString('base64url');
  for (const [value, feed, fingerprint] of [
    [cursor, 'sensors', 'fp1'],
    [cursor, 'market', 'fp2'],
    [forged('c1:market:-1:0:fp1'), 'market', 'fp1'],
    [forged('c1:market:1.5:0:fp1'), 'market', 'fp1'],
    [forged('c1:market:99999999999999999999:0:fp1'), 'market', 'fp1'],
    [forged('c0:market:1:0:fp1'), 'market', 'fp1'],
    [forged('c1:market:1:0:fp1:extra'), 'market', 'fp1'],
    ['garbage', 'market', 'fp1'],
  ] as const) {
    assert.throws(
      () => decodeCursor(value, feed, fingerprint),
      (error: unknown) =>
        error instanceof ServiceError &&
        error.code === 'SOURCE_API_ERR_INVALID_CURSOR' &&
        error.statusCode === 400,
      value,
    );
  }
});
