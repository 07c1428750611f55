// Stores of a scenario's own, so a fault never touches the shared stack: a private Kafka broker
// (tests/support/private-kafka.ts) and a private redis-server, both on free loopback ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createPrivateKafka, type PrivateKafka } from '../../tests/support/private-kafka.ts';
import { freePort } from '@tideline/service-kit';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A private broker on a free port whose next port (its controller's) is free too, started. */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (port < 65_000 && (await portFree(port + 1))) {
      const kafka = await createPrivateKafka(port);
      await kafka.start();
      return kafka;
    }
  }
  throw new Error('no free pair of ports for a private Kafka broker');
}

export interface PrivateRedis {
  url: string;
  /** SIGTERM, down for `downMs`, started again empty (no persistence). */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const up = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 15_000;
    for (;;) {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined); // refused while the server starts: the loop tries again
      const ok = await redis.connect().then(
        () => redis.ping().then(() => true),
        () => false,
      );
      redis.disconnect();
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const down = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await gone;
  };
  await up();
  return {
    url,
    async restart(downMs) {
      await down();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await up();
    },
    stop: down,
  };
}
