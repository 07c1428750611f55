// Starts the services a scenario needs as a user runs them (node services/<name>/src/main.ts on a
// loopback port), watches them for crashes, and stops them at the end.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, stopChild, waitReady } from '@tideline/service-kit';
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
          running.delete(service);
          await stopChild(child);
        },
        kill: async () => {
          running.delete(service);
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await gone;
        },
      };
      running.add(service);
      try {
        await waitReady(child, url, { name });
      } catch (error) {
        running.delete(service);
        throw error;
      }
      return service;
    },
    async stopAll() {
      await Promise.all([...running].map((service) => service.stop()));
    },
  };
}
