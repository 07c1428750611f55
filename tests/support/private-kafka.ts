// A throwaway Kafka broker of a test's own (its own ports and data, the shared download cache), for
// fault tests that stop and restart a broker without disturbing the one every other test uses.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface PrivateKafka {
  brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

export async function createPrivateKafka(port: number): Promise<PrivateKafka> {
  const local = await mkdtemp(path.join(os.tmpdir(), 'tideline-kafka-'));
  const env = {
    ...process.env,
    TIDELINE_LOCAL: local,
    TIDELINE_CACHE: path.join(root, '.local', 'cache'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_HEAP: '384m',
  };
  const kafka = (command: string) =>
    run('bash', [path.join(root, 'infra', 'kafka', 'kafka.sh'), command], { env, timeout: 180_000 });
  return {
    brokers: [`127.0.0.1:${port}`],
    start: async () => void (await kafka('start')),
    stop: async () => void (await kafka('stop')),
    destroy: async () => {
      await kafka('stop').catch(() => undefined);
      await rm(local, { recursive: true, force: true });
    },
  };
}
