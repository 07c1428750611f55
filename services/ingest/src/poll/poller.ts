import type { Logger } from 'pino';
import { SourceError } from '../errors.ts';
import type { Normalized } from '../formats/normalized.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { RawPublisher } from '../publish/raw-publisher.ts';
import { backoffDelayMs, sleep, type BackoffOptions } from '@tideline/service-kit';
import type { CursorStore } from './cursor-store.ts';

/** What one poll of a source gave: records, where to continue, and whether more is waiting. */
export interface PollResult {
  normalized: Normalized;
  nextCursor?: string;
  /** True when the source had more than one page could hold: poll again without waiting. */
  more: boolean;
}

export interface PollerOptions {
  /** The feed's name, in logs, metrics and the cursor store. */
  name: string;
  /** Where the records came from, written into each event's `source`. */
  source: string;
  intervalMs: number;
  backoff: BackoffOptions;
  poll: (cursor: string | undefined, signal: AbortSignal) => Promise<PollResult>;
  publisher: RawPublisher;
  /** Absent for snapshot sources (the original envelope routes) that have no position. */
  cursors?: CursorStore;
  logger: Logger;
  metrics: IngestMetrics;
  /** Publishes a response that could not be read at all, once per distinct failure. */
  deadLetterResponse: (error: SourceError, source: string) => Promise<void>;
}

/**
 * Polls one source feed until stopped. A page is produced to Kafka and acknowledged before its cursor
 * is saved, so a crash repeats a page (same ids, deduplicated downstream) but never skips one. Any
 * failure — source down, slow, answering garbage, Kafka unavailable — is retried with backoff and
 * jitter; the loop never ends on its own.
 */
export class Poller {
  readonly #options: PollerOptions;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #cursor: string | undefined;
  #healthy = true;

  constructor(options: PollerOptions) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.name;
  }

  /** False while the source fails; for /readyz details, not for readiness itself. */
  get healthy(): boolean {
    return this.#healthy;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops after the page in hand is produced (or abandoned if the source call is in flight). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { name, cursors, logger, metrics } = this.#options;
    const signal = this.#stop.signal;
    this.#cursor = await this.#loadCursor();
    let attempt = 0;
    let lastDeadLettered: string | undefined;
    // While a backlog drains, the next page is fetched while the current one is produced, so the
    // source's and the broker's time overlap. A prefetched page is used only if the current one was
    // produced and its cursor saved; otherwise it is dropped and the current cursor polled again.
    let prefetched: Promise<PollResult> | undefined;
    while (!signal.aborted) {
      let delayMs = this.#options.intervalMs;
      try {
        const result = await (prefetched ?? this.#options.poll(this.#cursor, signal));
        prefetched = undefined;
        if (result.more && result.nextCursor !== undefined) {
          prefetched = this.#options.poll(result.nextCursor, signal);
          prefetched.catch(() => undefined); // awaited next turn; never an unhandled rejection
        }
        const published = await this.#options.publisher.publish(result.normalized, this.#options.source);
        if (result.nextCursor !== undefined && cursors) await cursors.save(name, result.nextCursor);
        if (result.nextCursor !== undefined) this.#cursor = result.nextCursor;
        if (published.maxEventTimeMs !== undefined) {
          metrics.eventTimeLagMs.set({ feed: name }, Date.now() - published.maxEventTimeMs);
        }
        if (attempt > 0) logger.info({ feed: name, attempts: attempt }, 'source recovered');
        attempt = 0;
        lastDeadLettered = undefined;
        this.#healthy = true;
        if (result.more) delayMs = 0;
      } catch (error) {
        prefetched = undefined;
        if (signal.aborted) break;
        attempt++;
        this.#healthy = false;
        const code = error instanceof SourceError ? error.code : 'INGEST_ERR_PRODUCE';
        metrics.sourceErrors.inc({ feed: name, code });
        // One log line when a failure starts and one every 20 attempts after: no log flood while down.
        if (attempt === 1 || attempt % 20 === 0) {
          logger.warn({ feed: name, attempt, code, err: error }, 'poll failed; retrying with backoff');
        }
        if (error instanceof SourceError && error.body !== undefined && error.body !== lastDeadLettered) {
          lastDeadLettered = error.body;
          await this.#options.deadLetterResponse(error, this.#options.source).catch(() => undefined);
        }
        delayMs = backoffDelayMs(attempt, this.#options.backoff);
      }
      await sleep(delayMs, signal);
    }
  }

  async #loadCursor(): Promise<string | undefined> {
    const { cursors, name, logger, backoff } = this.#options;
    if (!cursors) return undefined;
    // Redis may be restarting: wait for it rather than start over from the beginning of the feed.
    for (let attempt = 1; !this.#stop.signal.aborted; attempt++) {
      try {
        return await cursors.load(name);
      } catch (error) {
        if (attempt === 1) logger.warn({ feed: name, err: error }, 'cannot load cursor; retrying');
        await sleep(backoffDelayMs(attempt, backoff), this.#stop.signal);
      }
    }
    return undefined;
  }
}
