// The soak: the whole pipeline (processor, both sinks, the query API asked twice a second) at a fixed
// rate for `--soak-minutes` (10 by default), RSS of each service sampled every 5 s; then the same
// recomputation as after a fault.
import { runFault } from '../fault-run.ts';
import { Part, type Scenario } from '../scenario.ts';

export const soak: Scenario = {
  name: 'soak',
  description:
    'steady load through every service for --soak-minutes (default 10): RSS per service; recomputation',
  requires: [Part.processor, Part.sinkPostgres, Part.sinkElasticsearch, Part.queryApi],
  timeoutMs: 15 * 60_000,
  // The soak's own length plus start-up, catching up and the recomputation.
  timeoutFor: (options) => (options.soakMinutes + 10) * 60_000,
  run: (context) =>
    runFault(context, {
      withQueryApi: true,
      sampleRss: true,
      warmupMs: context.options.soakMinutes * 60_000,
      inject: async () => [`${context.options.soakMinutes} min at ${context.options.rate} events/s`],
      cooldownMs: 0,
    }),
};
