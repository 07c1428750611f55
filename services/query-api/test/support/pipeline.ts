// The services that seed a test's history and queryable state: the processor and sink-postgres, run
// from their own main.ts as child processes (a service never imports another one), and the waits
// for them to have carried every raw record through.
import { spawn } from 'node:child_process';
import { readToEnd } from '@tideline/kafka';
import { freePort, stopChild, waitReady } from '@tideline/service-kit';
import type { Kafka } from 'kafkajs';

export interface ServiceProcess {
  readonly name: string;
  /** SIGTERM, as a supervisor stops it: the service commits what it holds and leaves its groups. */
  stop(): Promise<void>;
}

/**
 * Starts services/<name>/src/main.ts with `env` (its port given under `portVariable`) and waits until
 * its /readyz answers 200. Its output is kept, and shown if it fails to start.
 */
export async function startService(
  name: 'processor' | 'sink-postgres',
  portVariable: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  const main = new URL(`../../../${name}/src/main.ts`, import.meta.url);
  const child = spawn(process.execPath, [main.pathname], {
    env: { ...process.env, ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  // A test process that ends without its cleanup (a timeout, --test-force-exit) takes the service along.
  const orphaned = () => child.kill('SIGTERM');
  process.once('exit', orphaned);
  const stop = async () => {
    await stopChild(child);
    process.off('exit', orphaned);
  };
  try {
    await waitReady(child, `http://127.0.0.1:${port}`, {
      name,
      timeoutMs,
      pollMs: 100,
      details: () => output.join(''),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, stop };
}

/**
 * Waits until `groupId` has committed every record of `topics` that is there now: for the processor,
 * its transactions are committed; for a sink, its writes are. A topic written in transactions ends in
 * a commit marker that no consumer receives, so the target is past the last record read, not the end.
 */
export async function waitCaughtUp(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  const targets = new Map<string, Map<number, bigint>>();
  for (const topic of topics) {
    const next = new Map<number, bigint>();
    await readToEnd(kafka, {
      topic,
      groupPrefix: groupId,
      onMessage: (partition, message) => next.set(partition, BigInt(message.offset) + 1n),
    });
    targets.set(topic, next);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind: string[] = [];
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      for (const [topic, next] of targets) {
        const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const [partition, target] of next) {
          const at = BigInt(done.find((p) => p.partition === partition)?.offset ?? '-1');
          if (at < target) behind.push(`${topic}[${partition}] at ${at} of ${target}`);
        }
      }
      if (behind.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${groupId} still behind after ${timeoutMs} ms on ${behind.join(', ')}`);
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
