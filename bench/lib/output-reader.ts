// Reads an engine's window results as a user would see them (read_committed) while the engine runs,
// noting when each result first became visible.
import type { Kafka, KafkaMessage } from 'kafkajs';
import { rowKey, type WindowRow } from './window-rows.ts';

/** Turns one output record into a window row, or undefined for records that are not one. */
export type RowParser = (message: KafkaMessage) => WindowRow | undefined;

export interface VisibleRow extends WindowRow {
  /** Wall-clock time at which the reader first received a result for this window. */
  firstVisibleAtMs: number;
}

export interface OutputReader {
  /** The latest row per window (the final one, for engines that emit only final results). */
  readonly rows: ReadonlyMap<string, VisibleRow>;
  /**
   * Resolves once every key in `keys` has a row, with the time the last of them became visible;
   * undefined after `timeoutMs`. Throws as soon as `failure` returns a reason (e.g. the engine exited).
   */
  waitForKeys(
    keys: Iterable<string>,
    timeoutMs: number,
    failure?: () => string | undefined,
  ): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function startOutputReader(
  kafka: Kafka,
  options: { groupId: string; topics: readonly string[]; parse: RowParser },
): Promise<OutputReader> {
  const rows = new Map<string, VisibleRow>();
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const row = options.parse(message);
        if (!row) continue;
        const key = rowKey(row);
        rows.set(key, { ...row, firstVisibleAtMs: rows.get(key)?.firstVisibleAtMs ?? now });
      }
    },
  });
  return {
    rows,
    async waitForKeys(keys, timeoutMs, failure) {
      const wanted = [...keys];
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const reason = failure?.();
        if (reason !== undefined) throw new Error(reason);
        if (wanted.every((key) => rows.has(key))) {
          return Math.max(...wanted.map((key) => rows.get(key)?.firstVisibleAtMs ?? 0));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    },
    stop: () => consumer.disconnect(),
  };
}
