import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitReady } from '@tideline/service-kit';
import { KAFKA_BROKERS, REDIS_URL } from './test-bed.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ProcessorProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The output, for a failing test to show. */
  readonly log: string[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

let nextPort = 19_300 + Math.floor(Math.random() * 500);
const running = new Set<ProcessorProcess>();

/** Kills every processor a test started and has not stopped (before its topics and groups are deleted). */
export async function killAllProcessors(): Promise<void> {
  // SIGTERM: a member that leaves its group (rather than timing out) lets the group be deleted at once.
  await Promise.all([...running].map((p) => p.kill('SIGTERM')));
}

/** Starts the processor's main.ts as a child process (so a test can SIGKILL it) and waits for /readyz. */
export async function startProcessor(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ProcessorProcess> {
  const port = nextPort++;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PROCESSOR_PORT: String(port),
      PROCESSOR_KAFKA_BROKERS: KAFKA_BROKERS,
      PROCESSOR_REDIS_URL: REDIS_URL,
      PROCESSOR_CATALOGUE_URL: '',
      PROCESSOR_LOG_LEVEL: 'warn',
      // A killed instance's partitions come back after 6 s (the broker's minimum), not 30.
      PROCESSOR_SESSION_TIMEOUT_MS: '6000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitReady(child, `http://127.0.0.1:${port}`, {
    name: 'processor',
    timeoutMs,
    pollMs: 100,
    details: () => log.join(''),
  });
  const started: ProcessorProcess = {
    child,
    port,
    log,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      running.delete(started);
    },
  };
  running.add(started);
  return started;
}
