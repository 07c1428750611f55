// The ceiling: how fast the backlog can merely be read, by kafkajs and by Kafka's own
// ConsumerPerformance tool, on the same topic the engines read.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { buildMavenProject, classpathOf } from './java.ts';

const run = promisify(execFile);

/** Records/s a kafkajs consumer reads (eachBatch, nothing parsed), including the group join. */
export async function kafkajsConsumeRate(kafka: Kafka, topic: string, records: number, groupId: string) {
  const consumer = kafka.consumer({ groupId, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const started = performance.now();
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= records) resolve(performance.now());
      },
    });
  });
  const finished = await Promise.race([
    done,
    new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 300_000)),
  ]);
  await consumer.disconnect();
  return { records: seen, perSecond: seen / ((finished - started) / 1000) };
}

export interface ConsumerPerformanceResult {
  mbPerSecond: number;
  recordsPerSecond: number;
  /** The same, without the group join (ConsumerPerformance's fetch.* columns). */
  fetchMbPerSecond: number;
  fetchRecordsPerSecond: number;
  records: number;
}

/** Runs org.apache.kafka.tools.ConsumerPerformance (Kafka 3.9.1's kafka-tools) over `records` of `topic`. */
export async function consumerPerformance(
  brokers: readonly string[],
  topic: string,
  records: number,
  groupId: string,
): Promise<ConsumerPerformanceResult> {
  const classpath = classpathOf(await buildMavenProject('kafka-tools'));
  const { stdout } = await run(
    'java',
    [
      '-cp',
      classpath,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      brokers.join(','),
      '--topic',
      topic,
      '--messages',
      String(records),
      '--group',
      groupId,
      '--timeout',
      '60000',
    ],
    { timeout: 300_000, maxBuffer: 4 * 1024 * 1024 },
  );
  // Header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const lines = stdout.trim().split('\n');
  const header = (lines.find((l) => l.includes('MB.sec')) ?? '').split(',').map((s) => s.trim());
  const values = (lines.at(-1) ?? '').split(',').map((s) => s.trim());
  const column = (name: string) => {
    const index = header.indexOf(name);
    const value = Number(values[index]);
    if (index < 0 || !Number.isFinite(value))
      throw new Error(`ConsumerPerformance printed no ${name}: ${stdout}`);
    return value;
  };
  return {
    mbPerSecond: column('MB.sec'),
    recordsPerSecond: column('nMsg.sec'),
    fetchMbPerSecond: column('fetch.MB.sec'),
    fetchRecordsPerSecond: column('fetch.nMsg.sec'),
    records: column('data.consumed.in.nMsg'),
  };
}
