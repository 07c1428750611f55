import type { ChildProcess } from 'node:child_process';
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
export declare function waitReady(
  child: ChildProcess,
  baseUrl: string,
  { name, timeoutMs, pollMs, details }: WaitReadyOptions,
): Promise<void>;
/**
 * Sends `signal` (SIGTERM: a graceful shutdown) and resolves with the exit code once the process is gone;
 * SIGKILL after `graceMs` if it has not gone by then.
 */
export declare function stopChild(
  child: ChildProcess,
  graceMs?: number,
  signal?: NodeJS.Signals,
): Promise<number | null>;
/** A loopback port free at the time of asking. */
export declare function freePort(): Promise<number>;
