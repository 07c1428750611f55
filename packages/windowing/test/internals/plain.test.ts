import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WindowingErrorCodes } from '../../src/index.ts';
import { fromPlain, toPlain } from '../../src/internals/plain.ts';

describe('plain encoding', () => {
  test('values survive a JSON round trip, non-finite numbers and negative zero included', () => {
    const value = {
      a: [1, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      b: { nested: 'text', flag: true, none: null },
      tricky: { $num: 'looks like a tag', $esc: 1 },
    };
    const back = fromPlain(JSON.parse(JSON.stringify(toPlain(value))));
    assert.deepStrictEqual(back, value);
  });

  test('undefined properties are dropped, as JSON would', () => {
    assert.deepStrictEqual(toPlain({ a: 1, b: undefined }), { a: 1 });
  });

  test('class instances, maps, functions and bigints are refused, naming what was found', () => {
    const cases: [unknown, RegExp][] = [
      [new Map(), /Map/],
      [new Date(0), /Date/],
      [() => 1, /function/],
      [10n, /bigint/],
    ];
    for (const [bad, name] of cases) {
      assert.throws(() => toPlain({ acc: [bad] }), {
        code: WindowingErrorCodes.snapshotInvalid,
        message: name,
      });
    }
  });
});
