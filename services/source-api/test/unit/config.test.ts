import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, describeConfig, loadConfig } from '@tideline/config';
import { CONFIG_PREFIX, SourceApiConfigSchema } from '../../src/config.ts';

test('the defaults give port 8081 on 127.0.0.1, eight symbols and no faults', () => {
  const config = loadConfig(SourceApiConfigSchema, {}, { prefix: CONFIG_PREFIX });
  assert.equal(config.PORT, 8081);
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.SYMBOLS, 'AGL,BHP,CBA,CSL,NAB,WBC,WES,TLS');
  assert.equal(config.SIM_START_MS, undefined);
  assert.equal(config.FAULT_ERROR_RATE, 0);
});

test('every bad key is reported at once', () => {
  try {
    loadConfig(
      SourceApiConfigSchema,
      {
        SOURCE_API_SYMBOLS: 'bhp,,CBA',
        SOURCE_API_FAULT_NULL_RATE: '1.5',
        SOURCE_API_SEEED: '3',
        SOURCE_API_PORT: 'x',
      },
      { prefix: CONFIG_PREFIX },
    );
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const keys = [...new Set(error.problems.map((p) => p.key))].sort();
    assert.deepEqual(keys, [
      'SOURCE_API_FAULT_NULL_RATE',
      'SOURCE_API_PORT',
      'SOURCE_API_SEEED',
      'SOURCE_API_SYMBOLS',
    ]);
  }
});

test('every key has a description', () => {
  for (const line of describeConfig(SourceApiConfigSchema, CONFIG_PREFIX).split('\n')) {
    assert.match(line, /^SOURCE_API_[A-Z_]+ \(.+\): \S/, line);
  }
});
