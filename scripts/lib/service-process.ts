// Starts services as child processes, as a user would run them, for end-to-end tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild, waitReady } from '@tideline/service-kit';
import { NODE_FLAGS } from './service-entries.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningService {
  name: string;
  url: string;
  child: ChildProcess;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns services/<name>/src/main.ts with `env` and waits until its /readyz answers 200. */
export async function startService(
  name: string,
  port: number,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunningService> {
  const child = spawn(
    process.execPath,
    [...(NODE_FLAGS[name] ?? []), path.join(root, 'services', name, 'src', 'main.ts')],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, url, { name, timeoutMs });
  return { name, url, child, stop: (signal = 'SIGTERM') => stopChild(child, 30_000, signal) };
}

/** The sum of a Prometheus counter's samples (all label sets) from a /metrics page. */
export async function counterSum(url: string, metric: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
