import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WindowingError, WindowingErrorCodes } from '../src/index.ts';

describe('WindowingError', () => {
  test('every error code is stable and prefixed WIN_ERR_', () => {
    const codes = Object.values(WindowingErrorCodes);
    assert.ok(codes.length >= 7);
    for (const code of codes) assert.match(code, /^WIN_ERR_[A-Z_]+$/);
    assert.equal(new Set(codes).size, codes.length);
  });

  test('a WindowingError carries its code, message, problems and cause, and never asks for a retry', () => {
    const cause = new Error('boom');
    const error = new WindowingError(WindowingErrorCodes.snapshotInvalid, 'bad snapshot', { cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WindowingError');
    assert.equal(error.code, 'WIN_ERR_SNAPSHOT_INVALID');
    assert.equal(error.message, 'bad snapshot');
    assert.equal(error.cause, cause);
    assert.equal(error.canRetry, false);
    assert.deepEqual(error.problems, ['bad snapshot']);
    const many = new WindowingError(WindowingErrorCodes.invalidOptions, 'two problems', {
      problems: ['a', 'b'],
    });
    assert.deepEqual(many.problems, ['a', 'b']);
  });
});
