import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tideline/config';
import { topicNamer } from '@tideline/contracts';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import pg from 'pg';
import {
  buildSinkPostgres,
  migrate,
  SinkPostgresConfigSchema,
  type SinkPostgresConfig,
} from '../../src/app.ts';

export { waitFor } from '@tideline/service-kit';

export const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`).split(
  ',',
);
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://tideline@127.0.0.1:5432/tideline';
export const kafka = createKafka({ clientId: 'sink-postgres-it', brokers });

/** A namespace, schema and group no other run uses; `cleanup` deletes the topics and the schema. */
export function isolation() {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const namespace = `t-${id}`;
  return {
    namespace,
    namer: topicNamer(namespace),
    schema: `t_${id}`,
    groupId: `t-${id}-sink-postgres`,
    async cleanup(): Promise<void> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
        if (topics.length > 0) await admin.deleteTopics({ topics });
        await admin.deleteGroups([`t-${id}-sink-postgres`]).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS t_${id} CASCADE`);
      await client.end();
    },
  };
}

/** Migrates the schema and starts a real sink (real Kafka and PostgreSQL) with fast retries. */
export async function startSink(env: Record<string, string>) {
  const config: SinkPostgresConfig = loadConfig(
    SinkPostgresConfigSchema,
    {
      SINK_PG_KAFKA_BROKERS: brokers.join(','),
      SINK_PG_DATABASE_URL: databaseUrl,
      SINK_PG_TOPIC_REFRESH_MS: '500',
      SINK_PG_RETRY_INITIAL_MS: '100',
      SINK_PG_RETRY_MAX_MS: '1000',
      SINK_PG_CONNECT_TIMEOUT_MS: '1000',
      SINK_PG_PARTITIONS_AHEAD_DAYS: '2',
      ...env,
    },
    { prefix: 'SINK_PG_' },
  );
  const logger = createLogger({ service: 'sink-postgres-test', level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  await migrate({ databaseUrl, schema: config.PG_SCHEMA, logger });
  const sink = buildSinkPostgres(config, { logger, kafka });
  await sink.app.ready();
  return { ...sink, config, close: () => sink.app.close() };
}

/** A client on the test's schema, for assertions. */
export async function connect(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  return client;
}

/** Row counts of the four tables. */
export async function counts(client: pg.Client) {
  const { rows } = await client.query<{ readings: number; windows: number; alerts: number; series: number }>(
    `SELECT (SELECT count(*)::int FROM readings) AS readings,
            (SELECT count(*)::int FROM window_aggregates) AS windows,
            (SELECT count(*)::int FROM alerts) AS alerts,
            (SELECT count(*)::int FROM series) AS series`,
  );
  return rows[0]!;
}
