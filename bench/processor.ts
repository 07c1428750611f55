// `pnpm bench processor [trades]`: the processor's market job (hopping 3 s / 1 s, 5 s watermark delay,
// final results, avg/min/max) over a backlog of trades (default 1,000,000; 50 symbols; 3 partitions;
// JSON as ingest writes it), one instance, exactly-once then at-least-once: events/s from start to the
// group's offsets reaching the end (group join and restore included). Then the latency from a trade's
// append to the raw topic to the window result it closed being readable (read_committed) at a fixed
// 5,000 trades/s, and the peak RSS with 100,000 open windows (100,000 instruments, 10 s tumbling).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { topicNamer, withEventId, type TopicNamer } from '@tideline/contracts';
import {
  createKafka,
  createReliableProducer,
  deleteByPrefix,
  ensureTopics,
  Compression,
} from '@tideline/kafka';
import type { Kafka, Message } from 'kafkajs';
import type { BenchMetric } from '../scripts/bench.ts';
import { NODE_FLAGS } from '../scripts/lib/service-entries.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SYMBOLS = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}`);
const PARTITIONS = 3;
const RATE = 5000;
const LATENCY_SECONDS = 20;

export async function run(args: string[]): Promise<BenchMetric[]> {
  const total = Number(args[0] ?? 1_000_000);
  // `pnpm bench processor <trades> <part>` runs one part: throughput, latency or windows.
  const only = args[1];
  const runs = (part: string) => only === undefined || only === part;
  const kafka = createKafka({ clientId: 'bench-processor', brokers });
  const metrics: BenchMetric[] = [];
  const namespaces: string[] = [];
  const fresh = (): TopicNamer => {
    const namer = topicNamer(`bench-${randomBytes(3).toString('hex')}`);
    namespaces.push(namer.namespace);
    return namer;
  };
  try {
    const backlog = fresh();
    const produced = runs('throughput')
      ? await produceTrades(kafka, backlog, total, Date.UTC(2026, 0, 5, 9))
      : 0;
    if (runs('throughput')) console.log(`backlog: ${total} trades in ${produced.toFixed(1)} s`);
    for (const [guarantee, target] of (runs('throughput')
      ? [
          ['exactly-once', '>= 65000 (Kafka Streams 47-64k)'],
          ['at-least-once', '>= 85000 (Kafka Streams ~80k)'],
        ]
      : []) as [string, string][]) {
      const r = await throughput(kafka, backlog, guarantee, total);
      metrics.push(
        { metric: `events/s ${guarantee}`, value: r.eventsPerSecond, unit: 'events/s', target },
        { metric: `peak RSS ${guarantee} (backlog)`, value: r.peakRssMb, unit: 'MB' },
        // CPU time rather than wall time: steadier than events/s when other work shares the 2 cores.
        { metric: `processor CPU per 1,000 events ${guarantee}`, value: r.cpuMsPer1000, unit: 'ms' },
      );
    }
    const latency = runs('latency') ? await latencyAtRate(kafka, fresh()) : undefined;
    if (latency)
      metrics.push(
        { metric: `latency p50 at ${RATE}/s exactly-once`, value: latency.p50, unit: 'ms' },
        { metric: `latency p99 at ${RATE}/s exactly-once`, value: latency.p99, unit: 'ms', target: '< 500' },
      );
    const windows = runs('windows') ? await openWindowsRss(kafka, fresh()) : undefined;
    if (windows)
      metrics.push(
        { metric: 'open windows held', value: windows.openWindows, unit: 'windows' },
        {
          metric: 'peak RSS with 100,000 open windows',
          value: windows.peakRssMb,
          unit: 'MB',
          target: '< 300',
        },
      );
  } finally {
    await cleanup(kafka, namespaces);
  }
  return metrics;
}

async function produceTrades(
  kafka: Kafka,
  namer: TopicNamer,
  total: number,
  startMs: number,
): Promise<number> {
  const topic = namer.topicName({ kind: 'raw', feed: 'market' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: PARTITIONS }]);
  await admin.disconnect();
  const producer = createReliableProducer(kafka);
  await producer.connect();
  const started = performance.now();
  const BATCH = 5000;
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < total; i += BATCH) {
    const messages: Message[] = [];
    for (let k = i; k < Math.min(total, i + BATCH); k++)
      messages.push(tradeMessage(k, startMs + k * 2 - (k % 7) * 40));
    inflight.push(producer.send({ topic, messages, acks: -1, compression: Compression.snappy }));
    if (inflight.length >= 4) await inflight.shift();
  }
  await Promise.all(inflight);
  await producer.disconnect();
  return (performance.now() - started) / 1000;
}

function tradeMessage(k: number, eventTimeMs: number): Message {
  const symbol = SYMBOLS[k % SYMBOLS.length] as string;
  const trade = withEventId({
    schemaVersion: 1,
    feed: 'market',
    symbol,
    side: k % 2 === 0 ? 'BUY' : 'SELL',
    price: 100 + ((k * 7919) % 10_000) / 100,
    quantity: (k * 31) % 1000,
    eventTimeMs,
    source: 'bench',
  } as const);
  return { key: symbol, value: JSON.stringify(trade) };
}

interface Started {
  readonly pid: number;
  /** Stops the process; its peak RSS (MB) and the CPU time it used (user + system, seconds). */
  stop(): Promise<{ peakRssMb: number; cpuSeconds: number }>;
}

/** Starts the processor's main.ts on a jobs file; `stop` ends it and returns its peak RSS in MB. */
async function startProcessor(env: Record<string, string>): Promise<Started> {
  const port = 19_900 + Math.floor(Math.random() * 90);
  const child = spawn(
    process.execPath,
    [...(NODE_FLAGS.processor ?? []), path.join(root, 'services/processor/src/main.ts')],
    {
      env: {
        ...process.env,
        PROCESSOR_PORT: String(port),
        PROCESSOR_KAFKA_BROKERS: brokers.join(','),
        PROCESSOR_REDIS_URL: '',
        PROCESSOR_CATALOGUE_URL: '',
        PROCESSOR_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const pid = child.pid as number;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, hwmMb(pid))), 250);
  return {
    pid,
    stop: async () => {
      clearInterval(sampler);
      peak = Math.max(peak, hwmMb(pid));
      const cpuSeconds = cpuSecondsOf(pid);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return { peakRssMb: peak, cpuSeconds };
    },
  };
}

/** User plus system CPU time of a process so far, from /proc (clock ticks of 1/100 s on Linux). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function hwmMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function throughput(kafka: Kafka, namer: TopicNamer, guarantee: string, total: number) {
  const group = `bench-${guarantee}-${randomBytes(3).toString('hex')}`;
  const started = performance.now();
  const processor = await startProcessor({
    PROCESSOR_TOPIC_NAMESPACE: namer.namespace,
    PROCESSOR_JOBS_FILE: path.join(root, 'services/processor/jobs/bench-market.json'),
    PROCESSOR_GUARANTEE: guarantee,
    PROCESSOR_GROUP_PREFIX: group,
  });
  await waitCaughtUp(
    kafka,
    `${namer.namespace}.${group}.market`,
    namer.topicName({ kind: 'raw', feed: 'market' }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { peakRssMb, cpuSeconds } = await processor.stop();
  console.log(`${guarantee}: ${total} trades in ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU`);
  return { eventsPerSecond: total / seconds, peakRssMb, cpuMsPer1000: (cpuSeconds * 1e6) / total };
}

async function waitCaughtUp(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const done = ends.every(
        (e) =>
          BigInt(committed?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1') >=
          BigInt(e.high),
      );
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

async function latencyAtRate(kafka: Kafka, namer: TopicNamer): Promise<{ p50: number; p99: number }> {
  const topic = namer.topicName({ kind: 'raw', feed: 'market' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: PARTITIONS }]);
  const processor = await startProcessor({
    PROCESSOR_TOPIC_NAMESPACE: namer.namespace,
    PROCESSOR_JOBS_FILE: path.join(root, 'services/processor/jobs/bench-market.json'),
  });
  const latencies: number[] = [];
  const consumer = kafka.consumer({ groupId: `${namer.namespace}.latency`, maxWaitTimeInMs: 10 });
  await consumer.connect();
  await consumer.subscribe({
    topics: [namer.processedTopicPattern({ feed: 'market' })],
    fromBeginning: true,
  });
  const producer = createReliableProducer(kafka);
  await producer.connect();
  // The per-symbol topics appear with the first results: produce a second, then subscribe again.
  const start = Date.now();
  let k = 0;
  const tick = async (until: number) => {
    while (Date.now() < until) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE);
      const messages: Message[] = [];
      for (; k < due; k++) messages.push(tradeMessage(k, Date.now()));
      if (messages.length > 0) await producer.send({ topic, messages, acks: -1 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await tick(start + 7000);
  await consumer.disconnect();
  const reader = kafka.consumer({ groupId: `${namer.namespace}.latency-2`, maxWaitTimeInMs: 10 });
  await reader.connect();
  await reader.subscribe({ topics: [namer.processedTopicPattern({ feed: 'market' })], fromBeginning: false });
  const measureFrom = Date.now() + 3000;
  await reader.run({
    eachMessage: async ({ message }) => {
      const appended = Number(message.headers?.['tl-source-append-ms']?.toString());
      if (appended >= measureFrom) latencies.push(Date.now() - appended);
    },
  });
  await tick(Date.now() + LATENCY_SECONDS * 1000);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await reader.disconnect();
  await producer.disconnect();
  await processor.stop();
  await admin.disconnect();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(`latency: ${latencies.length} window results measured`);
  return { p50: at(0.5), p99: at(0.99) };
}

async function openWindowsRss(
  kafka: Kafka,
  namer: TopicNamer,
): Promise<{ openWindows: number; peakRssMb: number }> {
  const INSTRUMENTS = 100_000;
  const topic = namer.topicName({ kind: 'raw', feed: 'geotech', instrumentType: 'piezometer' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: PARTITIONS }]);
  await admin.disconnect();
  const producer = createReliableProducer(kafka);
  await producer.connect();
  const t0 = Date.UTC(2026, 0, 5, 9);
  for (let i = 0; i < INSTRUMENTS; i += 5000) {
    const messages: Message[] = [];
    for (let k = i; k < i + 5000; k++) {
      const reading = withEventId({
        schemaVersion: 1,
        feed: 'geotech',
        instrumentId: `BH-${k}`,
        instrumentType: 'piezometer',
        value: 50 + (k % 100),
        unit: 'pressure (kPa)',
        eventTimeMs: t0 + (k % 5000),
        source: 'bench',
      } as const);
      messages.push({ key: reading.instrumentId, value: JSON.stringify(reading) });
    }
    await producer.send({ topic, messages, acks: -1, compression: Compression.snappy });
  }
  await producer.disconnect();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-processor-'));
  const jobsFile = path.join(dir, 'jobs.json');
  writeFileSync(
    jobsFile,
    JSON.stringify({
      jobs: [
        {
          name: 'geotech',
          feed: 'geotech',
          maxOutOfOrdernessMs: 60_000,
          clean: {},
          readings: false,
          windows: [
            {
              name: 'geotech-10s',
              window: { type: 'tumbling', sizeMs: 10_000 },
              aggregates: {
                avg: { fn: 'avg' },
                min: { fn: 'min' },
                max: { fn: 'max' },
                last: { fn: 'last' },
              },
            },
          ],
        },
      ],
    }),
  );
  const group = `bench-windows-${randomBytes(3).toString('hex')}`;
  const processor = await startProcessor({
    PROCESSOR_TOPIC_NAMESPACE: namer.namespace,
    PROCESSOR_JOBS_FILE: jobsFile,
    PROCESSOR_GROUP_PREFIX: group,
  });
  await waitCaughtUp(kafka, `${namer.namespace}.${group}.geotech`, topic);
  const metricsText = await fetchMetrics(kafka, processor.pid);
  const { peakRssMb } = await processor.stop();
  return { openWindows: metricsText, peakRssMb };
}

/** The processor's open windows, summed from its /metrics (found through its listening port). */
async function fetchMetrics(_kafka: Kafka, pid: number): Promise<number> {
  const port = portOf(pid);
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('tideline_processor_open_windows{')) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

function portOf(pid: number): number {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return Number(env.find((e) => e.startsWith('PROCESSOR_PORT='))?.split('=')[1]);
}

async function cleanup(kafka: Kafka, namespaces: readonly string[]): Promise<void> {
  for (const ns of namespaces)
    await deleteByPrefix(kafka, { topicPrefix: `${ns}.`, groupPrefixes: [`${ns}.`] });
}
