import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, hash, hashString, uniform, valueNoise } from '../../../src/sim/random.ts';

test('hashes are pure functions of seed, stream and coordinates, including coordinates past 2^32', () => {
  assert.equal(hash(1, 2, 3, 4, 5), hash(1, 2, 3, 4, 5));
  const t = 1_736_942_400_123;
  const values = new Set([
    hash(1, 2, t),
    hash(1, 2, t + 2 ** 32),
    hash(1, 2, t + 1),
    hash(2, 2, t),
    hash(1, 3, t),
    hash(1, 2, 0, t),
  ]);
  assert.equal(values.size, 6);
});

test('uniform is spread evenly over [0, 1)', () => {
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const u = uniform(9, 1, i);
    assert.ok(u >= 0 && u < 1);
    buckets[Math.floor(u * 10)]! += 1;
  }
  for (const count of buckets) assert.ok(Math.abs(count - 10_000) < 500, String(count));
});

test('gaussian has mean 0 and standard deviation 1', () => {
  let sum = 0;
  let squares = 0;
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const g = gaussian(4, 1, i);
    sum += g;
    squares += g * g;
  }
  assert.ok(Math.abs(sum / n) < 0.02);
  assert.ok(Math.abs(Math.sqrt(squares / n) - 1) < 0.02);
});

test('value noise is continuous: nearby points are close, integer knots stay in [-1, 1]', () => {
  for (let x = 0; x < 50; x += 0.013) {
    const a = valueNoise(1, 1, 7, x);
    assert.ok(a >= -1 && a <= 1);
    assert.ok(Math.abs(valueNoise(1, 1, 7, x + 0.001) - a) < 0.01);
  }
});

test('hashString depends on the name only', () => {
  assert.equal(hashString('BHP'), hashString('BHP'));
  assert.notEqual(hashString('BHP'), hashString('BHQ'));
});
