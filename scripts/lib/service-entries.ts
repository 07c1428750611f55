// What `npm run up` runs: one entry per service, in data. The supervisor (scripts/services.ts) starts
// each once the ones it comes after are ready; tests and benchmarks (service-process.ts) start a
// service with the same Node flags.

export interface ServiceEntry {
  name: string;
  /** The program and its arguments, relative to the repository root; `node` is this Node. */
  command: readonly string[];
  port: number;
  /** Answers 200 once the service can do its work (its own dependencies, Kafka etc., included). */
  readyUrl: string;
  /** Services that must be ready before this one starts. */
  after: readonly string[];
  /** Extra environment for the child (on top of the supervisor's). */
  env?: Readonly<Record<string, string>>;
  /** Where to look once it is up. */
  links: readonly string[];
}

/**
 * Node flags per service. Ingest's young generation is kept small: with V8's default 16 MB
 * semi-spaces, ten concurrent 16 MB uploads took its peak RSS to ~360 MB (`pnpm bench ingest`);
 * 4 MB gave ~300 MB, 2 MB ~265 MB, at a cost of some throughput in more frequent scavenges.
 * An upload's batches live until Kafka acknowledges them, so they are promoted and die in the old
 * space. V8 lets the old space grow to up to 4x its live size between full collections when its
 * limit is 2 GB or more (the default is a quarter of the machine's memory), and 1.3x-2x below that:
 * ten concurrent uploads peaked at 228-257 MB with the default limit and with 2048, 192-193 MB with
 * 1024, 179-186 MB with 512, the promoted garbage (and the value buffers it holds) being collected
 * sooner. 1024 keeps most of the saving for ~10% more CPU in the collector's threads and no clear
 * loss of a single upload's rows/s (512 cost ~15% of them); it is far above what ingest keeps alive.
 */
export const NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  ingest: ['--max-semi-space-size=2', '--max-old-space-size=1024'],
  // The processor's batches are short-lived too; a capped old space makes V8 collect instead of
  // growing. The cap bounds the state too: 256 MB holds about 200,000 open windows (the state is
  // ~600 bytes a window). Raise it (NODE_OPTIONS in compose and k8s) for more keys.
  processor: ['--max-semi-space-size=8', '--max-old-space-size=256'],
};

const local = (port: number) => `http://127.0.0.1:${port}`;

export function serviceEntries(env: NodeJS.ProcessEnv): ServiceEntry[] {
  const sourcePort = Number(env.SOURCE_API_PORT ?? 8081);
  const ingestPort = Number(env.INGEST_PORT ?? 8082);
  const processorPort = Number(env.PROCESSOR_PORT ?? 8083);
  const queryPort = Number(env.QUERY_API_PORT ?? 8084);
  const sinkPgPort = Number(env.SINK_PG_PORT ?? 8085);
  const sinkEsPort = Number(env.SINK_ES_PORT ?? 8086);
  // A local demo reads without a key; an admin key for the cut-over is made for the session.
  const adminKey =
    env.QUERY_API_API_KEYS === undefined ? `local-admin-${process.pid}-${Date.now()}` : undefined;
  return [
    {
      name: 'source-api',
      command: ['node', 'services/source-api/src/main.ts'],
      port: sourcePort,
      readyUrl: `${local(sourcePort)}/readyz`,
      after: [],
      env: { SOURCE_API_PORT: String(sourcePort) },
      links: [`${local(sourcePort)}/v1/instruments`, `${local(sourcePort)}/openapi.json`],
    },
    {
      name: 'ingest',
      command: ['node', ...(NODE_FLAGS.ingest ?? []), 'services/ingest/src/main.ts'],
      port: ingestPort,
      readyUrl: `${local(ingestPort)}/readyz`,
      // Polling a source that is still starting would only log connection errors.
      after: ['source-api'],
      env: { INGEST_PORT: String(ingestPort), INGEST_SOURCE_URL: env.INGEST_SOURCE_URL ?? local(sourcePort) },
      links: [`${local(ingestPort)}/v1/pollers`, `${local(ingestPort)}/metrics`],
    },
    {
      name: 'processor',
      command: ['node', ...(NODE_FLAGS.processor ?? []), 'services/processor/src/main.ts'],
      port: processorPort,
      readyUrl: `${local(processorPort)}/readyz`,
      // Level alerts need the instrument catalogue the source serves.
      after: ['source-api'],
      env: {
        PROCESSOR_PORT: String(processorPort),
        PROCESSOR_CATALOGUE_URL: env.PROCESSOR_CATALOGUE_URL ?? `${local(sourcePort)}/v1/instruments`,
      },
      links: [`${local(processorPort)}/metrics`],
    },
    {
      name: 'sink-postgres',
      command: ['node', 'services/sink-postgres/src/main.ts'],
      port: sinkPgPort,
      readyUrl: `${local(sinkPgPort)}/readyz`,
      after: [],
      env: { SINK_PG_PORT: String(sinkPgPort) },
      links: [`${local(sinkPgPort)}/v1/status`],
    },
    {
      name: 'sink-elasticsearch',
      command: ['node', 'services/sink-elasticsearch/src/main.ts'],
      port: sinkEsPort,
      readyUrl: `${local(sinkEsPort)}/readyz`,
      after: [],
      env: { SINK_ES_PORT: String(sinkEsPort) },
      links: [`${local(sinkEsPort)}/v1/status`, 'http://127.0.0.1:9200/tideline-readings/_search'],
    },
    {
      name: 'query-api',
      command: ['node', 'services/query-api/src/main.ts'],
      port: queryPort,
      readyUrl: `${local(queryPort)}/readyz`,
      // Its tables come from sink-postgres's migrations.
      after: ['sink-postgres'],
      env: {
        QUERY_API_PORT: String(queryPort),
        ...(adminKey === undefined
          ? {}
          : { QUERY_API_API_KEYS: `${adminKey}:read+admin`, QUERY_API_ANONYMOUS_SCOPES: 'read' }),
      },
      links: [
        `${local(queryPort)}/live`,
        `${local(queryPort)}/docs`,
        `${local(queryPort)}/v1/symbols`,
        ...(adminKey === undefined ? [] : [`(admin key for the cut-over: ${adminKey})`]),
      ],
    },
  ];
}
