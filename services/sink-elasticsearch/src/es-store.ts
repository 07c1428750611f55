import type { Client, estypes } from '@elastic/elasticsearch';
import { backoffDelayMs, sleep } from '@tideline/service-kit';
import {
  type SinkRecord,
  type SinkStore,
  type StoreRejection,
  StoreUnavailableError,
  type WriteContext,
  type WriteOutcome,
} from '@tideline/sink-runtime';
import { actionFor, type IndexAction } from './documents.ts';
import { EsSinkCode } from './errors.ts';
import { installTemplates, type TemplateSettings } from './templates.ts';

const DAY_MS = 86_400_000;

export interface EsStoreOptions {
  client: Client;
  templates: TemplateSettings;
  retentionDays: number;
  itemRetries: number;
  requestTimeoutMs: number;
  retry: { initialMs: number; maxMs: number };
  now?: () => number;
}

/**
 * The realtime view's store: one bulk request of `index` actions with deterministic ids per batch.
 * The bulk response is read item by item: 429 and 5xx items are sent again (with backoff, up to
 * `itemRetries` times, then the whole batch fails and the runtime retries it: the ids make that
 * harmless); 4xx items are rejected with Elasticsearch's error (dead-lettered). Templates are
 * installed before the first write, so no daily index is ever created without its mapping.
 */
export class EsStore implements SinkStore {
  readonly name = 'elasticsearch';
  readonly #options: EsStoreOptions;
  #templatesInstalled = false;

  constructor(options: EsStoreOptions) {
    this.#options = options;
  }

  async check(): Promise<void> {
    await this.#options.client.cluster.health({}, { requestTimeout: 2000 });
  }

  /** Installs the templates (idempotent); the first write does it when start-up could not. */
  async ensureTemplates(): Promise<void> {
    if (this.#templatesInstalled) return;
    try {
      await installTemplates(this.#options.client, this.#options.templates);
    } catch (error) {
      throw new StoreUnavailableError(EsSinkCode.templates, describe(error), { cause: error });
    }
    this.#templatesInstalled = true;
  }

  async write(records: readonly SinkRecord[], context: WriteContext): Promise<WriteOutcome> {
    await this.ensureTemplates();
    const now = (this.#options.now ?? Date.now)();
    const cutoff =
      this.#options.retentionDays === 0
        ? -Infinity
        : Math.floor(now / DAY_MS) * DAY_MS - this.#options.retentionDays * DAY_MS;
    // One action per (index, id): the last record wins, as in a log replay.
    const actions = new Map<string, IndexAction>();
    let expired = 0;
    for (const record of records) {
      const action = actionFor(this.#options.templates.prefix, record, now);
      if (action.timeMs < cutoff) expired += 1;
      else actions.set(`${action.index}/${action.id}`, action);
    }
    let pending = [...actions.values()];
    const rejected: StoreRejection[] = [];
    let written = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const items = await this.#bulk(pending);
      const again: IndexAction[] = [];
      items.forEach((item, i) => {
        const action = pending[i]!;
        const result = item.index ?? item.create ?? item.update;
        const status = result?.status ?? 500;
        if (status >= 200 && status < 300) written += 1;
        else if (status === 429 || status >= 500) again.push(action);
        else
          rejected.push({
            record: action.record,
            code: EsSinkCode.rejected,
            reason: describeItemError(status, result?.error),
          });
      });
      if (again.length === 0) break;
      if (attempt > this.#options.itemRetries) {
        throw new StoreUnavailableError(
          EsSinkCode.unavailable,
          `${again.length} bulk items still refused with 429/5xx after ${attempt} attempts`,
        );
      }
      await context.heartbeat();
      await sleep(backoffDelayMs(attempt, this.#options.retry), context.signal);
      if (context.signal.aborted) throw new StoreUnavailableError(EsSinkCode.unavailable, 'closing');
      pending = again;
    }
    return { written, expired, rejected };
  }

  async #bulk(
    actions: readonly IndexAction[],
  ): Promise<Partial<Record<estypes.BulkOperationType, estypes.BulkResponseItem>>[]> {
    const operations: unknown[] = [];
    for (const action of actions)
      operations.push({ index: { _index: action.index, _id: action.id } }, action.document);
    try {
      const response = await this.#options.client.bulk(
        { operations, refresh: false },
        { requestTimeout: this.#options.requestTimeoutMs, maxRetries: 0 },
      );
      if (response.items.length !== actions.length) {
        throw new Error(`bulk answered ${response.items.length} items for ${actions.length} actions`);
      }
      return response.items;
    } catch (error) {
      // The request as a whole failed (connection, timeout, 429/5xx for the request): retry the batch.
      throw new StoreUnavailableError(EsSinkCode.unavailable, describe(error), { cause: error });
    }
  }
}

function describeItemError(status: number, error: estypes.ErrorCause | undefined): string {
  if (!error) return `status ${status}`;
  const cause = error.caused_by ? `; caused by ${error.caused_by.type}: ${error.caused_by.reason ?? ''}` : '';
  return `${status} ${error.type}: ${error.reason ?? ''}${cause}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
