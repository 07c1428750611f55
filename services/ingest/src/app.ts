import {
  DeadLetterStage,
  type Feed,
  LegacyGeotechRoutes,
  topicNamer,
  valuesOf,
  InstrumentType,
} from '@tideline/contracts';
import { createReliableProducer, ensureTopics, readMessageLimits } from '@tideline/kafka';
import {
  backoffDelayMs,
  sleep,
  createRegistry,
  registerErrorHandling,
  registerHealth,
  registerMetrics,
  registerRequestLogging,
  type Registry,
} from '@tideline/service-kit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { IngestConfig } from './config.ts';
import { IngestReason, type SourceError } from './errors.ts';
import { readFeedItems, readPage, sourceFeedPaths } from './formats/feed-page.ts';
import { readLegacyEnvelope } from './formats/legacy-envelope.ts';
import { readWhole } from './formats/record-sink.ts';
import { LegacyConsumer } from './legacy/legacy-consumer.ts';
import { createIngestMetrics } from './metrics.ts';
import { RedisCursorStore } from './poll/cursor-store.ts';
import { Poller, type PollResult } from './poll/poller.ts';
import { getJson } from './poll/source-client.ts';
import { RawPublisher } from './publish/raw-publisher.ts';
import { registerUploadRoutes } from './routes/upload-routes.ts';
import { UploadGate } from './upload/upload-gate.ts';

export type { IngestConfig } from './config.ts';
export { IngestConfigSchema } from './config.ts';

/** A produce waiting longer than this for Kafka makes ingest not ready (the broker is likely away). */
const STALLED_PRODUCE_MS = 5000;

export interface IngestDependencies {
  logger: Logger;
  kafka: Kafka;
  redis: Redis;
  registry?: Registry;
}

/**
 * Builds the ingest service without listening. On `ready()` it starts connecting to Kafka in the
 * background (creating missing raw and dead-letter topics) and, once connected, starts its pollers;
 * `close()` stops the pollers after the page in hand, flushes and disconnects.
 */
export function buildIngest(config: IngestConfig, deps: IngestDependencies): FastifyInstance {
  const { logger, kafka, redis } = deps;
  const registry = deps.registry ?? createRegistry('ingest');
  const metrics = createIngestMetrics(registry);
  const producer = createReliableProducer(kafka);
  const topics = topicNamer(config.TOPIC_NAMESPACE);
  const publisher = new RawPublisher({
    producer,
    compression: config.COMPRESSION,
    logger,
    metrics,
    topics,
    eventTimeRange: { minMs: config.EVENT_TIME_MIN_MS, maxAheadMs: config.EVENT_TIME_MAX_AHEAD_MS },
  });
  // Legacy topics are namespaced like every other: `<namespace>.monitoring` in a test run.
  const legacyTopics =
    config.LEGACY_TOPICS === ''
      ? []
      : config.LEGACY_TOPICS.split(',').map((name) =>
          topics.namespace === '' ? name : `${topics.namespace}.${name}`,
        );
  const legacy =
    legacyTopics.length === 0
      ? undefined
      : new LegacyConsumer({
          kafka,
          topics: legacyTopics,
          groupId: config.LEGACY_GROUP_ID,
          publisher,
          logger: logger.child({ component: 'legacy' }),
          metrics,
        });
  const backoff = { initialMs: config.RETRY_INITIAL_MS, maxMs: config.RETRY_MAX_MS };
  const stop = new AbortController();
  let connected = false;

  const deadLetterResponse = async (error: SourceError, source: string) => {
    await publisher.publish(
      {
        drafts: [],
        rejected: [
          {
            reasonCode: IngestReason.sourceBadResponse,
            reason: error.message,
            rawPayload: error.body ?? '',
          },
        ],
      },
      source,
    );
  };
  const pollers = createPollers(config, { publisher, logger, metrics, redis, backoff, deadLetterResponse });

  // Upcast: Fastify's helpers are typed for its base logger interface, which pino's Logger implements.
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.MAX_BODY_BYTES,
    disableRequestLogging: true,
  });
  registerRequestLogging(app);
  registerErrorHandling(app);
  registerHealth(app, {
    checks: {
      kafka: async () => {
        if (!connected) throw new Error('not connected');
        const stalledMs = publisher.stalledMs();
        if (stalledMs > STALLED_PRODUCE_MS) throw new Error(`a produce has waited ${stalledMs} ms for Kafka`);
      },
      redis: async () => {
        await redis.ping();
      },
    },
  });
  registerMetrics(app, registry);
  registerUploadRoutes(app, {
    publisher,
    isConnected: () => connected,
    gate: new UploadGate(config.UPLOAD_MAX_INFLIGHT_BYTES),
    maxBodyBytes: config.MAX_BODY_BYTES,
    metrics,
  });
  app.get('/v1/pollers', async () => ({
    pollers: pollers.map((p) => ({ feed: p.name, healthy: p.healthy })),
  }));

  let connecting: Promise<void> | undefined;
  app.addHook('onReady', async () => {
    connecting = connectThenPoll();
  });
  app.addHook('onClose', async () => {
    stop.abort();
    await connecting;
    await Promise.all(pollers.map((p) => p.stop()));
    await legacy?.stop();
    await producer.disconnect();
  });

  async function connectThenPoll(): Promise<void> {
    const admin = kafka.admin();
    const written = [...topics.rawTopics(), topics.topicName({ kind: 'dlq', stage: DeadLetterStage.ingest })];
    const specs = [
      ...written.map((topic) => ({
        topic,
        partitions: topic === publisher.dlqTopic ? 1 : config.TOPIC_PARTITIONS,
        retentionMs: config.RAW_RETENTION_MS,
      })),
      ...legacyTopics.map((topic) => ({ topic, partitions: 1 })),
    ];
    // Kafka may be down at start (or restarting): keep trying instead of crashing.
    for (let attempt = 1; !stop.signal.aborted; attempt++) {
      try {
        await admin.connect();
        const created = await ensureTopics(admin, specs);
        if (created.length > 0) logger.info({ created }, 'created topics');
        // Batches are sized for what the broker accepts, read from it rather than guessed.
        const limits = await readMessageLimits(admin, written);
        publisher.setMaxBatchBytes(limits.maxBatchBytes);
        const metadata = await admin.fetchTopicMetadata({ topics: written });
        publisher.setPartitionCounts(new Map(metadata.topics.map((t) => [t.name, t.partitions.length])));
        logger.info(
          { maxBatchBytes: limits.maxBatchBytes, brokerMaxMessageBytes: limits.brokerMaxMessageBytes },
          'read the broker message limits',
        );
        await admin.disconnect();
        await producer.connect();
        if (legacy) await legacy.start();
        connected = true;
        logger.info('connected to Kafka');
        break;
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        if (attempt === 1 || attempt % 20 === 0)
          logger.warn({ err: error, attempt }, 'cannot reach Kafka; retrying');
        await sleep(backoffDelayMs(attempt, backoff), stop.signal);
      }
    }
    if (stop.signal.aborted) return;
    for (const poller of pollers) poller.start();
  }

  return app;
}

interface PollerDeps {
  publisher: RawPublisher;
  logger: Logger;
  metrics: ReturnType<typeof createIngestMetrics>;
  redis: Redis;
  backoff: { initialMs: number; maxMs: number };
  deadLetterResponse: (error: SourceError, source: string) => Promise<void>;
}

function createPollers(config: IngestConfig, deps: PollerDeps): Poller[] {
  const cursors = new RedisCursorStore(deps.redis, config.CURSOR_KEY);
  const base = config.SOURCE_URL.replace(/\/+$/, '');
  const feeds = config.FEEDS === '' ? [] : (config.FEEDS.split(',') as Feed[]);
  const pollers = feeds.map((feed) => {
    const path = sourceFeedPaths[feed];
    const source = `source-api:${path}`;
    return new Poller({
      ...deps,
      name: feed,
      source,
      intervalMs: config.POLL_INTERVAL_MS,
      cursors,
      poll: async (cursor, signal): Promise<PollResult> => {
        const query = new URLSearchParams({ limit: String(config.PAGE_LIMIT) });
        if (cursor !== undefined) query.set('since', cursor);
        const response = await getJson(`${base}${path}?${query}`, config.REQUEST_TIMEOUT_MS, signal);
        const page = readPage(response.body, response.text);
        return {
          normalized: readFeedItems(feed, page.items, source),
          nextCursor: page.nextCursor,
          more: page.items.length >= config.PAGE_LIMIT,
        };
      },
    });
  });
  if (config.LEGACY_POLL_MS > 0) {
    for (const type of valuesOf(InstrumentType)) {
      const { path } = LegacyGeotechRoutes[type];
      const source = `source-api:${path}`;
      pollers.push(
        new Poller({
          ...deps,
          name: `legacy-${type}`,
          source,
          intervalMs: config.LEGACY_POLL_MS,
          poll: async (_cursor, signal) => {
            const response = await getJson(`${base}${path}`, config.REQUEST_TIMEOUT_MS, signal);
            return { normalized: await readWhole(readLegacyEnvelope, response.text, source), more: false };
          },
        }),
      );
    }
  }
  return pollers;
}
