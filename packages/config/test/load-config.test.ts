import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { ConfigError, loadConfig, describeConfig } from '../src/index.ts';

const schema = Type.Object(
  {
    PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8080, description: 'HTTP port' }),
    BROKERS: Type.String({ minLength: 1, description: 'Kafka bootstrap servers' }),
    VERBOSE: Type.Boolean({ default: false, description: 'log more' }),
  },
  { additionalProperties: false },
);

test('loadConfig converts strings, applies defaults and freezes the result', () => {
  const config = loadConfig(
    schema,
    { TL_BROKERS: '127.0.0.1:9092', TL_VERBOSE: 'true', OTHER: 'x' },
    { prefix: 'TL_' },
  );
  assert.deepEqual(config, { PORT: 8080, BROKERS: '127.0.0.1:9092', VERBOSE: true });
  assert.ok(Object.isFrozen(config));
});

test('loadConfig reports every problem at once, unknown keys included', () => {
  try {
    loadConfig(schema, { TL_PORT: 'ninety', TL_PROT: '1' }, { prefix: 'TL_' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const keys = error.problems.map((p) => p.key).sort();
    assert.deepEqual([...new Set(keys)], ['TL_BROKERS', 'TL_PORT', 'TL_PROT']);
    assert.equal(error.code, 'CFG_ERR_INVALID');
  }
});

test('describeConfig lists each key with its type, default and description', () => {
  const text = describeConfig(schema, 'TL_');
  assert.match(text, /TL_PORT \(integer, default 8080\): HTTP port/);
  assert.match(text, /TL_BROKERS \(string, required\)/);
});
