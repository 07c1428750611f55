// The peer: the market job in Kafka Streams 3.9.1 (bench/peers/kafka-streams), run as its own JVM.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Kafka } from 'kafkajs';
import type { RowParser } from '../lib/output-reader.ts';
import type { Guarantee } from '../lib/tideline-processor.ts';
import type { WindowRow } from '../lib/window-rows.ts';
import { stopChild } from '@tideline/service-kit';
import { buildMavenProject, classpathOf, spawnJava } from './java.ts';

const MAIN_CLASS = 'dev.tideline.bench.streams.MarketHoppingJob';
const PROCESSING_GUARANTEE = {
  'exactly-once': 'exactly_once_v2',
  'at-least-once': 'at_least_once',
} as const satisfies Record<Guarantee, string>;

export interface KafkaStreamsJob {
  outputTopic: string;
  applicationId: string;
  spawnedAtMs: number;
  /** When Kafka Streams first reported RUNNING (partitions assigned, state restored). */
  readyAtMs: number;
  /** How the JVM ended, or undefined while it runs. */
  exit(): string | undefined;
  stop(): Promise<void>;
}

export async function buildKafkaStreamsJob(): Promise<string> {
  return classpathOf(await buildMavenProject('kafka-streams'));
}

export async function startKafkaStreamsJob(
  kafka: Kafka,
  options: {
    classpath: string;
    brokers: readonly string[];
    inputTopic: string;
    /** Names the output topic and the application id (and so its internal topics and group). */
    name: string;
    guarantee: Guarantee;
  },
): Promise<KafkaStreamsJob> {
  const outputTopic = `${options.name}.output`;
  const applicationId = options.name;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: outputTopic, numPartitions: 3, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'tideline-bench-kstreams-'));
  const spawnedAtMs = Date.now();
  const child = spawnJava(options.classpath, MAIN_CLASS, [
    options.brokers.join(','),
    options.inputTopic,
    outputTopic,
    applicationId,
    PROCESSING_GUARANTEE[options.guarantee],
    stateDir,
  ]);
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 200) stderr.shift();
  });
  const stop = async () => {
    await stopChild(child, 40_000);
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const readyAtMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Kafka Streams not RUNNING within 120 s')), 120_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Kafka Streams exited with ${code}: ${stderr.join('').slice(-2000)}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.trim() === 'STATE RUNNING') {
          clearTimeout(timer);
          resolve(Date.now());
        }
      });
    });
    const exit = () =>
      child.signalCode !== null
        ? child.signalCode
        : child.exitCode === null
          ? undefined
          : `code ${child.exitCode}`;
    return { outputTopic, applicationId, spawnedAtMs, readyAtMs, exit, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The job's output values: `{ symbol, windowStartMs, windowEndMs, avg, min, max, count }`. */
export const kafkaStreamsRowParser: RowParser = (message) => {
  const value = JSON.parse(message.value?.toString() ?? 'null') as WindowRow | null;
  return value ?? undefined;
};
