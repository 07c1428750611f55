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
 */
export const NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  ingest: ['--max-semi-space-size=2'],
};

const local = (port: number) => `http://127.0.0.1:${port}`;

export function serviceEntries(env: NodeJS.ProcessEnv): ServiceEntry[] {
  const sourcePort = Number(env.SOURCE_API_PORT ?? 8081);
  const ingestPort = Number(env.INGEST_PORT ?? 8082);
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
  ];
}
