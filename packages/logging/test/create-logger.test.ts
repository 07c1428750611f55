import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger } from '../src/index.ts';

test('createLogger writes JSON lines with the service name and redacts secrets', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
  const logger = createLogger({ service: 'unit', destination: stream });
  logger.child({ component: 'db' }).info({ password: 'hunter2', rows: 3 }, 'connected');
  await new Promise((resolve) => setImmediate(resolve));
  const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  assert.equal(entry.service, 'unit');
  assert.equal(entry.component, 'db');
  assert.equal(entry.level, 'info');
  assert.equal(entry.password, '[redacted]');
  assert.equal(entry.rows, 3);
  assert.equal(entry.msg, 'connected');
});
