// The shape of a reliability scenario: a named list of cases, each with what it expects and what
// happened. The runner prints one row per scenario; a scenario never decides pass or fail by timing.
import type { Kafka } from 'kafkajs';
import type { ComparisonRow } from './compare.ts';
import type { RssRow } from './rss.ts';
import type { Services } from './services.ts';

/** What a case is allowed to end in. */
export const Expect = {
  /** An HTTP 4xx with a JSON error body carrying a stable `error.code`. */
  clientError: '4xx',
  /** A 4xx, or a 2xx whose records all went to the dead-letter topic (and none to a raw topic). */
  clientErrorOrDeadLetter: '4xx or dead letter',
  /** A dead letter with a reason, nothing on the processed topics. */
  deadLetter: 'dead letter',
  /** Anything but a 5xx (the request is harmless, e.g. an auth header on a service without auth). */
  not5xx: 'not 5xx',
  /**
   * Refused by Node's HTTP parser before the application sees it (bytes that are not HTTP, headers
   * over the limit, a body shorter than its content-length): a bare 4xx or a closed connection.
   */
  protocolError: '4xx or closed (HTTP parser)',
  /** What the sinks hold equals the recomputation from the raw log: nothing lost, doubled or different. */
  recomputation: 'equal to the recomputation',
} as const;
export type Expect = (typeof Expect)[keyof typeof Expect];

export interface CaseResult {
  name: string;
  expected: Expect;
  /** What happened, e.g. "415 FST_ERR_CTP_INVALID_MEDIA_TYPE" or "202, 1 dead letter". */
  got: string;
  ok: boolean;
  status?: number;
  deadLetters?: number;
}

export interface ScenarioResult {
  cases: CaseResult[];
  /** Services that exited or stopped answering /healthz during the scenario. */
  crashes: string[];
  /** Extra figures of the scenario (counters read from /metrics, records read back, ...). */
  figures?: Record<string, number>;
  /** Fault scenarios: the sinks' contents against the recomputation from the raw log. */
  recomputation?: ComparisonRow[];
  /** The soak: RSS per service. */
  rss?: RssRow[];
  /** What was done (faults injected, records sent), for the report. */
  notes?: string[];
}

export interface ScenarioContext {
  kafka: Kafka;
  brokers: readonly string[];
  /** Unique to this run: goes into payloads, so dead letters and records can be told apart. */
  tag: string;
  services: Services;
  /** Namespaces registered here are deleted (topics, groups, Redis keys) when the suite ends. */
  claimNamespace(namespace: string): void;
  options: {
    /** Events per second of the fault and soak scenarios' load. */
    rate: number;
    soakMinutes: number;
  };
}

/** The parts of the system a scenario needs; a scenario whose parts are missing is reported, not run. */
export const Part = {
  sourceApi: 'source-api',
  ingest: 'ingest',
  processor: 'processor',
  sinkPostgres: 'sink-postgres',
  sinkElasticsearch: 'sink-elasticsearch',
  queryApi: 'query-api',
} as const;
export type Part = (typeof Part)[keyof typeof Part];

export interface Scenario {
  name: string;
  /** One line: what it does and what it expects. */
  description: string;
  requires: readonly Part[];
  /** Upper bound; the runner stops waiting after it and reports the scenario as timed out. */
  timeoutMs: number;
  /** When the bound depends on the run's options (the soak's length). */
  timeoutFor?(options: ScenarioContext['options']): number;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
