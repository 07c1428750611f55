// Starts the services a scenario needs as a user runs them (node services/<name>/src/main.ts on a
// loopback port), watches them for crashes, and stops them at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Part } from './scenario.ts';

const ownRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WatchedService {
  name: string;
  url: string;
  port: number;
  /** The process id (RSS sampling reads /proc/<pid>). */
  pid: number;
  /** Exited without being asked to, or stopped answering /healthz. */
  crashed(): Promise<boolean>;
  stop(): Promise<void>;
  /** SIGKILL (a fault the scenario injects, not a crash); resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface Services {
  /** The checkout a part runs from. */
  rootOf(part: Part): string;
  /** Whether a part exists in the checkout; the reason when it does not. */
  availability(part: Part): { available: true } | { available: false; reason: string };
  /** Starts services/<name> with `env` (its port variables are added) and waits for /readyz. */
  start(name: string, env: (port: number) => Record<string, string>): Promise<WatchedService>;
  stopAll(): Promise<void>;
}

/** `roots` maps a part to the checkout that has it (another one, e.g. main's, before this branch does). */
export function createServices(roots: Partial<Record<Part, string>> = {}): Services {
  const running = new Set<WatchedService>();
  const rootOf = (name: string) => roots[name as Part] ?? ownRoot;
  const mainOf = (name: string) => path.join(rootOf(name), 'services', name, 'src', 'main.ts');
  return {
    rootOf: (part) => rootOf(part),
    availability(part) {
      return existsSync(mainOf(part))
        ? { available: true }
        : { available: false, reason: `${mainOf(part)} does not exist` };
    },
    async start(name, env) {
      const port = await freePort();
      const child = spawn(process.execPath, [mainOf(name)], {
        cwd: rootOf(name),
        env: { ...process.env, ...env(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      let stopping = false;
      const url = `http://127.0.0.1:${port}`;
      const service: WatchedService = {
        name,
        url,
        port,
        pid: child.pid ?? -1,
        crashed: async () =>
          child.exitCode !== null ||
          child.signalCode !== null ||
          !(await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )),
        stop: async () => {
          stopping = true;
          running.delete(service);
          await stopChild(child);
        },
        kill: async () => {
          stopping = true;
          running.delete(service);
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await gone;
        },
      };
      running.add(service);
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null && !stopping) {
          running.delete(service);
          throw new Error(`${name} exited with ${child.exitCode} during start-up`);
        }
        if (
          await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return service;
        if (Date.now() > deadline) {
          await service.stop();
          throw new Error(`${name} not ready on ${url} within 60 s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
    async stopAll() {
      await Promise.all([...running].map((service) => service.stop()));
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

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
