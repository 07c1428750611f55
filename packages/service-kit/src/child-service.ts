// Waiting for and stopping a service started as a child process: the one place tests, benchmarks and
// the reliability suite do it, so they agree on what "ready" and "stopped" mean.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface WaitReadyOptions {
  /** The service's name in errors. */
  readonly name: string;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** More to say when it fails (e.g. the service's captured output). */
  readonly details?: () => string;
}

/**
 * Polls `<baseUrl>/readyz` until it answers 200. Throws when the child exits first or the time is up;
 * on a timeout the child is stopped (SIGTERM, then SIGKILL) before the error is thrown.
 */
export async function waitReady(
  child: ChildProcess,
  baseUrl: string,
  { name, timeoutMs = 60_000, pollMs = 150, details = () => '' }: WaitReadyOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const explain = () => {
    const more = details();
    return more === '' ? '' : `:\n${more}`;
  };
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited with ${child.exitCode ?? child.signalCode} during start-up${explain()}`,
      );
    }
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      await stopChild(child, 5000);
      throw new Error(`${name} not ready on ${baseUrl} within ${timeoutMs} ms${explain()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Sends `signal` (SIGTERM: a graceful shutdown) and resolves with the exit code once the process is gone;
 * SIGKILL after `graceMs` if it has not gone by then.
 */
export function stopChild(
  child: ChildProcess,
  graceMs = 20_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** A loopback port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
