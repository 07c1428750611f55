// The latest-value cache driven through controlled connections: the order of replies and
// invalidations is the test's to choose, which the real Redis does not allow.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { createRegistry } from '@tideline/service-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import {
  INVALIDATE_CHANNEL,
  invalidatedKeys,
  registerLatestState,
} from '../../../src/plugins/latest-state.ts';
import { registerQueryMetrics } from '../../../src/plugins/metrics.ts';

/** Enough of an ioredis client: records commands, answers hashes, and lets a test hold a reply. */
class FakeConnection extends EventEmitter {
  status = 'ready';
  readonly calls: string[] = [];
  readonly hashes = new Map<string, Record<string, string>>();
  /** When set, the next HGETALL waits for the test to call it. */
  held: ((release: () => void) => void) | undefined;
  #id: number;

  constructor(id: number) {
    super();
    this.#id = id;
  }

  reconnect(id: number): void {
    this.#id = id;
    this.emit('close');
    this.emit('reconnecting');
    this.emit('ready');
  }

  async client(...args: (string | number)[]): Promise<unknown> {
    this.calls.push(`CLIENT ${args.join(' ')}`);
    return args[0] === 'ID' ? this.#id : 'OK';
  }

  async subscribe(channel: string): Promise<number> {
    this.calls.push(`SUBSCRIBE ${channel}`);
    return 1;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    this.calls.push(`HGETALL ${key}`);
    const value = { ...this.hashes.get(key) };
    const hold = this.held;
    this.held = undefined;
    if (hold !== undefined) await new Promise<void>((resolve) => hold(resolve));
    return value;
  }

  async ping(): Promise<string> {
    return 'PONG';
  }

  disconnect(): void {
    this.status = 'end';
  }

  invalidate(message: unknown): void {
    this.emit('messageBuffer', Buffer.from(INVALIDATE_CHANNEL), message);
  }

  hgetalls(): number {
    return this.calls.filter((c) => c.startsWith('HGETALL')).length;
  }
}

async function setUp(): Promise<{
  app: FastifyInstance;
  reader: FakeConnection;
  subscriber: FakeConnection;
  shared: FakeConnection;
  read: (key: string) => Promise<string | undefined>;
}> {
  const app = Fastify({ logger: false });
  const metrics = registerQueryMetrics(app, createRegistry('test'));
  const reader = new FakeConnection(7);
  const subscriber = new FakeConnection(8);
  const shared = new FakeConnection(9);
  const state = registerLatestState(app, {
    url: 'redis://unused',
    redis: shared as unknown as Redis,
    maxEntries: 100,
    metrics,
    connections: { reader: reader as unknown as Redis, subscriber: subscriber as unknown as Redis },
  });
  reader.emit('ready');
  subscriber.emit('ready');
  await untilTracking(app);
  // The answer is the hash's `v`, so a test sees which reply it got.
  const read = (key: string) => state.read(key, (hash) => hash['v']);
  return { app, reader, subscriber, shared, read };
}

async function untilTracking(app: FastifyInstance): Promise<void> {
  for (let i = 0; i < 100 && !app.latestState.tracking; i++) await new Promise((r) => setImmediate(r));
  assert.equal(app.latestState.tracking, true, 'tracking established');
}

test('tracking is set up as CLIENT ID and SUBSCRIBE on the subscriber, then TRACKING ON REDIRECT it', async () => {
  const { app, reader, subscriber, read } = await setUp();
  assert.deepEqual(subscriber.calls, ['CLIENT ID', `SUBSCRIBE ${INVALIDATE_CHANNEL}`]);
  assert.deepEqual(reader.calls, ['CLIENT ID', 'CLIENT TRACKING OFF', 'CLIENT TRACKING ON REDIRECT 8']);
  assert.deepEqual(app.latestState.clientIds, { reader: 7, subscriber: 8 });
  reader.hashes.set('k', { v: 'one' });
  assert.equal(await read('k'), 'one');
  reader.hashes.set('k', { v: 'two' });
  assert.equal(await read('k'), 'one', 'served from the cache: Redis sent no invalidation');
  assert.equal(reader.hgetalls(), 1);
  subscriber.invalidate([Buffer.from('k')]);
  assert.equal(await read('k'), 'two');
  await app.close();
});

test('an invalidation handled before the reply of a read: the reply answers its caller but is not cached', async () => {
  const { app, reader, subscriber, read } = await setUp();
  reader.hashes.set('k', { v: 'old' });
  let release = () => {};
  reader.held = (r) => (release = r);
  const answer = read('k');
  await new Promise((r) => setImmediate(r));
  // The write lands after Redis read the hash; its invalidation overtakes the reply.
  reader.hashes.set('k', { v: 'new' });
  subscriber.invalidate([Buffer.from('k')]);
  release();
  assert.equal(await answer, 'old');
  assert.equal(await read('k'), 'new');
  assert.equal(reader.hgetalls(), 2);
  await app.close();
});

test('a null invalidation message (a flushed database) drops every cached answer', async () => {
  const { app, reader, subscriber, read } = await setUp();
  reader.hashes.set('a', { v: 'a1' });
  reader.hashes.set('b', { v: 'b1' });
  await read('a');
  await read('b');
  reader.hashes.set('a', { v: 'a2' });
  reader.hashes.set('b', { v: 'b2' });
  subscriber.invalidate(null);
  assert.deepEqual([await read('a'), await read('b')], ['a2', 'b2']);
  await app.close();
});

test('a reconnection flushes; reads go to the shared client until tracking redirects to the new id', async () => {
  const { app, reader, subscriber, shared, read } = await setUp();
  reader.hashes.set('k', { v: 'cached' });
  shared.hashes.set('k', { v: 'fresh' });
  assert.equal(await read('k'), 'cached');
  reader.hashes.set('m', { v: 'read before' });
  let release = () => {};
  reader.held = (r) => (release = r);
  const inFlight = read('m');
  await new Promise((r) => setImmediate(r));
  subscriber.emit('close');
  subscriber.status = 'reconnecting';
  subscriber.emit('reconnecting');
  assert.equal(app.latestState.tracking, false);
  assert.equal(await read('k'), 'fresh', 'not the cached answer: read through the shared client');
  release();
  assert.equal(await inFlight, 'read before');
  subscriber.status = 'ready';
  subscriber.reconnect(18);
  await untilTracking(app);
  assert.deepEqual(app.latestState.clientIds, { reader: 7, subscriber: 18 });
  assert.deepEqual(subscriber.calls.slice(-2), ['CLIENT ID', `SUBSCRIBE ${INVALIDATE_CHANNEL}`]);
  assert.equal(reader.calls.at(-1), 'CLIENT TRACKING ON REDIRECT 18');
  reader.hashes.set('k', { v: 'k after' });
  reader.hashes.set('m', { v: 'm after' });
  assert.equal(await read('k'), 'k after', 'flushed by the reconnection');
  assert.equal(await read('m'), 'm after', 'the reply read across the reconnection was not cached');
  await app.close();
});

test('invalidation messages: key names, or everything for null and anything unexpected', () => {
  assert.deepEqual(invalidatedKeys([Buffer.from('a'), 'b']), ['a', 'b']);
  assert.equal(invalidatedKeys(null), 'all');
  assert.equal(invalidatedKeys(Buffer.from('a')), 'all');
  assert.equal(invalidatedKeys([1]), 'all');
});
