// The ceiling: how fast the backlog can merely be read by Kafka's own
// ConsumerPerformance tool, on the same topic the engines read.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildMavenProject, classpathOf } from './java.ts';

const run = promisify(execFile);

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
