// The two engines behind one shape, so throughput and latency are measured by the same code.
import { fileURLToPath } from 'node:url';
import { Feed, topicNamer } from '@tideline/contracts';
import type { Kafka } from 'kafkajs';
import { BENCH_SYMBOLS } from '../lib/market-feed.ts';
import type { RowParser } from '../lib/output-reader.ts';
import { startTidelineProcessor, tidelineRowParser, type Guarantee } from '../lib/tideline-processor.ts';
import { stack } from '../lib/stack.ts';
import { kafkaStreamsRowParser, startKafkaStreamsJob } from './kafka-streams.ts';

/** The window job both engines run; in Tideline, a window of the processor job `market`. */
export const MARKET_JOB = 'market-hopping';
/** The Tideline jobs file with only that window (no cleaned readings, no moving averages). */
const TIDELINE_JOBS_FILE = fileURLToPath(new URL('./tideline-market-hopping.json', import.meta.url));
/** The market job's windows; the grace is Tideline's allowed out-of-orderness. */
export const MARKET_WINDOWS = { sizeMs: 3000, advanceMs: 1000, graceMs: 5000 } as const;

export interface EngineRun {
  spawnedAtMs: number;
  readyAtMs: number;
  outputTopics: readonly string[];
  parse: RowParser;
  /** How the engine's process ended, or undefined while it runs. */
  exit(): string | undefined;
  stop(): Promise<void>;
}

export interface Engine {
  label: 'kafka-streams' | 'tideline';
  /** The topic the engine reads in `namespace`, where the benchmark writes its input. */
  inputTopic(namespace: string): string;
  /** `name` is run-unique and carries the namespace (application ids, output topics). */
  start(options: { namespace: string; guarantee: Guarantee; name: string }): Promise<EngineRun>;
}

const marketTopic = (namespace: string) =>
  topicNamer(namespace).topicName({ kind: 'raw', feed: Feed.market });

export function kafkaStreamsEngine(kafka: Kafka, classpath: string): Engine {
  return {
    label: 'kafka-streams',
    inputTopic: marketTopic,
    async start({ namespace, guarantee, name }) {
      const job = await startKafkaStreamsJob(kafka, {
        classpath,
        brokers: stack.kafkaBrokers,
        inputTopic: marketTopic(namespace),
        name,
        guarantee,
      });
      return {
        spawnedAtMs: job.spawnedAtMs,
        readyAtMs: job.readyAtMs,
        outputTopics: [job.outputTopic],
        parse: kafkaStreamsRowParser,
        exit: job.exit,
        stop: job.stop,
      };
    },
  };
}

/** Tideline's processor from `root` (a checkout; this one by default). */
export function tidelineEngine(root?: string): Engine {
  return {
    label: 'tideline',
    inputTopic: marketTopic,
    async start({ namespace, guarantee }) {
      const processor = await startTidelineProcessor({
        namespace,
        guarantee,
        jobs: ['market'],
        jobsFile: TIDELINE_JOBS_FILE,
        symbols: BENCH_SYMBOLS,
        root,
      });
      return {
        spawnedAtMs: processor.spawnedAtMs,
        readyAtMs: processor.readyAtMs,
        outputTopics: processor.outputTopics(),
        parse: tidelineRowParser(MARKET_JOB),
        exit: processor.exit,
        stop: processor.stop,
      };
    },
  };
}
