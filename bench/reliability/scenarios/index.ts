import type { Scenario } from '../scenario.ts';
import { hostileHttp } from './hostile-http.ts';
import { ingestBadRecords } from './ingest-bad-records.ts';
import { rawTopicBadRecords } from './raw-topic-bad-records.ts';
import { sourceGarbage } from './source-garbage.ts';

/** Every scenario, in the order `pnpm reliability` runs them. Add new ones here. */
export const SCENARIOS: readonly Scenario[] = [
  hostileHttp,
  ingestBadRecords,
  sourceGarbage,
  rawTopicBadRecords,
];

/**
 * Scenarios still to write once the parts they exercise are merged (processor, sinks, query API).
 * Printed by the runner so the table never suggests more coverage than there is.
 */
export const PLANNED: readonly { name: string; checks: string }[] = [
  {
    name: 'SIGKILL of the processor',
    checks: 'kill -9 mid-transaction, restart: outputs equal the recomputation',
  },
  {
    name: 'SIGKILL of each sink',
    checks: 'kill -9 mid-batch, restart: rows / documents equal the recomputation',
  },
  { name: 'broker restart', checks: 'Kafka stopped and started under load: nothing lost, nothing doubled' },
  { name: 'PostgreSQL outage', checks: 'sink-postgres waits and resumes; readiness drops meanwhile' },
  { name: 'Elasticsearch outage', checks: 'sink-elasticsearch waits and resumes; readiness drops meanwhile' },
  { name: 'Redis restart', checks: 'latest values rebuilt; the processor never blocks on Redis' },
  { name: 'soak (10 min)', checks: 'steady load through every service: RSS per service at start and end' },
  {
    name: 'recomputation',
    checks: 'final outputs vs a batch recomputation of the raw log: expected / lost / duplicated',
  },
];
