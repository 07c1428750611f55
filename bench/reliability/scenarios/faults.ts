// Faults under load (issue 13): SIGKILL of the processor and of each sink, a broker restart, 30 s
// outages of PostgreSQL and Elasticsearch, a Redis restart. Each runs its own pipeline with data at a
// fixed rate and ends with the recomputation from the raw log: nothing lost, nothing doubled.
import { startTcpProxy, type TcpProxy } from '@tideline/sink-runtime';
import type { PrivateKafka } from '../../../tests/support/private-kafka.ts';
import { hostPortOf, stores, withPort } from '../../lib/stores.ts';
import { runFault, sleep, type FaultPlan } from '../fault-run.ts';
import { PipelineService, type Pipeline } from '../pipeline.ts';
import { startPrivateKafka, startPrivateRedis, type PrivateRedis } from '../private-stores.ts';
import { Part, type Scenario } from '../scenario.ts';

const PIPELINE = [Part.processor, Part.sinkPostgres, Part.sinkElasticsearch] as const;
const OUTAGE_MS = 30_000;

/** Kills a service with SIGKILL and starts it again at once (it rejoins its group, resumes from its commits). */
async function killAndRestart(pipeline: Pipeline, name: PipelineService): Promise<void> {
  await pipeline.kill(name);
  await pipeline.start(name);
}

/** `plan` is called once per run: its closure holds that run's broker, proxy or Redis. */
function scenario(name: string, description: string, timeoutMs: number, plan: () => FaultPlan): Scenario {
  return { name, description, requires: PIPELINE, timeoutMs, run: (context) => runFault(context, plan()) };
}

export const sigkills = scenario(
  'SIGKILL processor and sinks',
  'kill -9 of the processor 4 times and of each sink 3 times under load, each restarted at once; recomputation',
  900_000,
  () => ({
    warmupMs: 10_000,
    cooldownMs: 10_000,
    async inject(pipeline) {
      let kills = 0;
      for (let i = 0; i < 4; i++) {
        await killAndRestart(pipeline, PipelineService.processor);
        kills++;
        await sleep(6000);
      }
      for (let i = 0; i < 3; i++) {
        await Promise.all([
          killAndRestart(pipeline, PipelineService.sinkPostgres),
          killAndRestart(pipeline, PipelineService.sinkElasticsearch),
        ]);
        kills += 2;
        await sleep(6000);
      }
      return [`${kills} SIGKILLs (processor 4, sink-postgres 3, sink-elasticsearch 3)`];
    },
  }),
);

export const brokerRestart = scenario(
  'Kafka broker restart',
  'a private broker stopped for 10 s and started again under load; recomputation',
  900_000,
  () => {
    let broker: PrivateKafka | undefined;
    return {
      environment: async () => {
        broker = await startPrivateKafka();
        const started = broker;
        return { targets: { brokers: started.brokers }, teardown: () => started.destroy() };
      },
      warmupMs: 15_000,
      cooldownMs: 30_000,
      async inject() {
        if (!broker) throw new Error('no private broker');
        const started = Date.now();
        await broker.stop();
        await sleep(10_000);
        await broker.start();
        return [`broker down ${((Date.now() - started) / 1000).toFixed(1)} s (stop, 10 s, start)`];
      },
    };
  },
);

function storeOutage(store: 'PostgreSQL' | 'Elasticsearch'): Scenario {
  const url = store === 'PostgreSQL' ? stores.postgresUrl : stores.elasticsearchUrl;
  const sink = store === 'PostgreSQL' ? PipelineService.sinkPostgres : PipelineService.sinkElasticsearch;
  return scenario(
    `${store} outage`,
    `the sink's connections to ${store} cut for 30 s (a loopback proxy) under load; recomputation`,
    600_000,
    () => {
      let proxy: TcpProxy | undefined;
      return {
        environment: async () => {
          const started = await startTcpProxy(hostPortOf(url));
          proxy = started;
          const through = withPort(url, started.port);
          return {
            targets: store === 'PostgreSQL' ? { postgresUrl: through } : { elasticsearchUrl: through },
            teardown: () => started.close(),
          };
        },
        warmupMs: 10_000,
        cooldownMs: 20_000,
        async inject(pipeline) {
          proxy?.cut();
          await sleep(OUTAGE_MS / 2);
          const ready = await fetch(`${pipeline.current(sink)?.url}/readyz`).then(
            (r) => r.status,
            () => 0,
          );
          await sleep(OUTAGE_MS / 2);
          proxy?.restore();
          const alive = !(await pipeline.current(sink)?.crashed());
          return [
            `${store} unreachable for ${OUTAGE_MS / 1000} s; ${sink} /readyz during it: ${ready}; ${alive ? 'alive' : 'NOT alive'} after`,
          ];
        },
      };
    },
  );
}

export const postgresOutage = storeOutage('PostgreSQL');
export const elasticsearchOutage = storeOutage('Elasticsearch');

export const redisRestart = scenario(
  'Redis restart',
  "the processor's private Redis stopped for 5 s and started empty under load; recomputation",
  600_000,
  () => {
    let redis: PrivateRedis | undefined;
    return {
      environment: async () => {
        const started = await startPrivateRedis();
        redis = started;
        return { targets: { redisUrl: started.url }, teardown: () => started.stop() };
      },
      warmupMs: 10_000,
      cooldownMs: 15_000,
      async inject(pipeline) {
        await redis?.restart(5000);
        const alive = !(await pipeline.current(PipelineService.processor)?.crashed());
        return [`Redis down 5 s, back empty; processor ${alive ? 'alive' : 'NOT alive'} after`];
      },
    };
  },
);
