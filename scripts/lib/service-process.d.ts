import { type ChildProcess } from 'node:child_process';
export interface RunningService {
  name: string;
  url: string;
  child: ChildProcess;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}
/** Spawns services/<name>/src/main.ts with `env` and waits until its /readyz answers 200. */
export declare function startService(
  name: string,
  port: number,
  env: Record<string, string>,
  timeoutMs?: number,
): Promise<RunningService>;
/** The sum of a Prometheus counter's samples (all label sets) from a /metrics page. */
export declare function counterSum(url: string, metric: string): Promise<number>;
