import type { Scenario } from '../scenario.ts';
import { brokerRestart, elasticsearchOutage, postgresOutage, redisRestart, sigkills } from './faults.ts';
import { hostileHttp } from './hostile-http.ts';
import { ingestBadRecords } from './ingest-bad-records.ts';
import { rawTopicBadRecords } from './raw-topic-bad-records.ts';
import { soak } from './soak.ts';
import { sourceGarbage } from './source-garbage.ts';

/** Every scenario, in the order `pnpm reliability` runs them. Add new ones here. */
export const SCENARIOS: readonly Scenario[] = [
  hostileHttp,
  ingestBadRecords,
  sourceGarbage,
  rawTopicBadRecords,
  sigkills,
  brokerRestart,
  postgresOutage,
  elasticsearchOutage,
  redisRestart,
  soak,
];
