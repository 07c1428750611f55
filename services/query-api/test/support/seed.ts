// The one place tests seed Tideline's history and queryable state, by the pipeline itself: raw events
// as ingest writes them (contract shape, topic and key) on the raw topics of a namespace of the run's
// own, the real processor (jobs/default.json, levels from an instrument catalogue the seed serves) and
// the real sink-postgres (into a schema of the run's own). The latest values in Redis are the
// processor's; the rows in PostgreSQL are the sink's. `cleanup` deletes all of it.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  partitionKeyFor,
  TopicKind,
  topicNamer,
  type Feed,
  type Instrument,
  type RawEvent,
} from '@tideline/contracts';
import { createKafka, createReliableProducer, deleteByPrefix, ensureTopics } from '@tideline/kafka';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startService, waitCaughtUp, type ServiceProcess } from './pipeline.ts';

export const PG_URL = 'postgres://tideline@127.0.0.1:5432/tideline';
export const REDIS_URL = 'redis://127.0.0.1:6379';
const KAFKA_BROKERS = ['127.0.0.1:9092'];
const DEFAULT_JOBS = new URL('../../../processor/jobs/default.json', import.meta.url);
const GROUP_PREFIX = 'tideline-processor';

export interface SeedInput {
  /** Raw events as ingest writes them (`withEventId` of a draft), produced in this order. */
  events?: readonly RawEvent[];
  /** What the processor's instrument catalogue serves: the alert and alarm levels of instruments. */
  instruments?: readonly Instrument[];
}

/** Plausible values per measure, as a job's `clean.ranges` has them. */
export type Ranges = Record<string, { min?: number; max?: number }>;

export interface Seeded {
  pgSchema: string;
  namespace: string;
  /** Produces more raw events and waits until the processor and the sink have carried them through. */
  add(events: readonly RawEvent[]): Promise<void>;
  /**
   * Kappa reprocessing: runs `job` of jobs/default.json again from the start of the raw topics as
   * output `version`, with some cleaning ranges changed, and waits until its outputs are in PostgreSQL.
   */
  reprocess(job: Feed, version: number, ranges: Ranges): Promise<void>;
  cleanup(): Promise<void>;
}

export async function seed(input: SeedInput = {}): Promise<Seeded> {
  const suffix = randomBytes(5).toString('hex');
  const pgSchema = `t_${suffix}`;
  const namespace = `t-${suffix}`;
  const namer = topicNamer(namespace);
  const kafka = createKafka({ clientId: 'query-api-seed', brokers: KAFKA_BROKERS });
  const admin = kafka.admin();
  const producer = createReliableProducer(kafka);
  const catalogue = await serveCatalogue(input.instruments ?? []);
  const jobsDir = await mkdtemp(path.join(os.tmpdir(), 'tideline-seed-'));
  const services: ServiceProcess[] = [];
  // The raw topics written so far, with their feed; the processor groups that read each feed (the
  // default jobs are named after their feed; a reprocessing adds `<job>.v<n>`).
  const written = new Map<string, Feed>();
  const readers = new Map<Feed, string[]>();
  const readersOf = (feed: Feed) => readers.get(feed) ?? [`${namespace}.${GROUP_PREFIX}.${feed}`];
  const sinkGroup = `${namespace}.sink-postgres`;

  const processorEnv = (env: Record<string, string>) => ({
    PROCESSOR_LOG_LEVEL: 'warn',
    PROCESSOR_KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    PROCESSOR_REDIS_URL: REDIS_URL,
    PROCESSOR_TOPIC_NAMESPACE: namespace,
    PROCESSOR_GROUP_PREFIX: GROUP_PREFIX,
    PROCESSOR_CATALOGUE_URL: catalogue.url,
    ...env,
  });
  const start = async (...starting: Promise<ServiceProcess>[]) => {
    const started = await Promise.allSettled(starting);
    for (const s of started) if (s.status === 'fulfilled') services.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  };
  /**
   * Waits until every group reading a written raw topic has committed it, then until the sink has.
   * The processor writes Redis right after each commit, so its latest values are there by then.
   */
  const settle = async () => {
    for (const [topic, feed] of written)
      for (const group of readersOf(feed)) await waitCaughtUp(kafka, group, [topic]);
    const outputs = (await admin.listTopics()).filter((t) => {
      const kind = namer.parseTopicName(t)?.kind;
      return kind === TopicKind.processed || kind === TopicKind.alerts;
    });
    await waitCaughtUp(kafka, sinkGroup, outputs);
  };
  const add = async (events: readonly RawEvent[]) => {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const event of events) {
      const topic = namer.rawTopicFor(event);
      byTopic.set(topic, [
        ...(byTopic.get(topic) ?? []),
        { key: partitionKeyFor(event), value: JSON.stringify(event) },
      ]);
      written.set(topic, event.feed);
    }
    for (const [topic, messages] of byTopic) await producer.send({ topic, messages, acks: -1 });
    await settle();
  };
  const cleanup = async () => {
    // A group with a live member cannot be deleted: the services stop (and leave their groups) first.
    await Promise.all(services.splice(0).map((s) => s.stop()));
    await producer.disconnect();
    await admin.disconnect();
    await deleteByPrefix(kafka, { topicPrefix: `${namespace}.`, groupPrefixes: [`${namespace}.`] });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await client.end();
    await deleteNamespace(namespace);
    catalogue.server.close();
    await rm(jobsDir, { recursive: true, force: true });
  };

  try {
    await admin.connect();
    await producer.connect();
    await ensureTopics(
      admin,
      namer.rawTopics().map((topic) => ({ topic, partitions: 3 })),
    );
    await start(
      startService('processor', 'PROCESSOR_PORT', processorEnv({})),
      startService('sink-postgres', 'SINK_PG_PORT', {
        SINK_PG_LOG_LEVEL: 'warn',
        SINK_PG_KAFKA_BROKERS: KAFKA_BROKERS.join(','),
        SINK_PG_TOPIC_NAMESPACE: namespace,
        SINK_PG_GROUP_ID: sinkGroup,
        SINK_PG_DATABASE_URL: PG_URL,
        SINK_PG_PG_SCHEMA: pgSchema,
        SINK_PG_TOPIC_REFRESH_MS: '200',
        // The tests' history is at fixed dates: nothing of it expires.
        SINK_PG_RETENTION_DAYS: '0',
      }),
    );
    await add(input.events ?? []);
  } catch (error) {
    await cleanup();
    throw error;
  }

  return {
    pgSchema,
    namespace,
    add,
    reprocess: async (job, version, ranges) => {
      const file = JSON.parse(await readFile(DEFAULT_JOBS, 'utf8')) as {
        jobs: { name: string; clean: { ranges?: Ranges } }[];
      };
      for (const j of file.jobs) if (j.name === job) j.clean.ranges = { ...j.clean.ranges, ...ranges };
      const jobsFile = path.join(jobsDir, `${job}.v${version}.json`);
      await writeFile(jobsFile, JSON.stringify(file));
      await start(
        startService(
          'processor',
          'PROCESSOR_PORT',
          processorEnv({
            PROCESSOR_JOBS_FILE: jobsFile,
            PROCESSOR_JOBS: job,
            PROCESSOR_JOB_VERSION: String(version),
          }),
        ),
      );
      readers.set(job, [...readersOf(job), `${namespace}.${GROUP_PREFIX}.${job}.v${version}`]);
      await settle();
    },
    cleanup,
  };
}

/** The source's `GET /v1/instruments`, serving the given instruments. */
async function serveCatalogue(items: readonly Instrument[]): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ items });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/v1/instruments`, server };
}

async function deleteNamespace(namespace: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `tl:${namespace}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.del(...found);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
