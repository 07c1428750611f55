import { DeadLetterStage, Feed, type InstrumentType, type TopicNamer } from '@tideline/contracts';
import type { WindowingOptions } from '@tideline/windowing';
import type { CleaningRules } from './clean.ts';
import type { Job, Level } from './job-schema.ts';
import { engineOptionsOf, type Results } from './window-operator.ts';

/** Alert and alarm levels of the instruments, by id (from the catalogue or the jobs file). */
export type LevelCatalogue = ReadonlyMap<string, Level>;

export interface CompiledWindow {
  readonly name: string;
  readonly options: WindowingOptions<number, Results>;
  readonly sparkCompatible: boolean;
}

/**
 * A job resolved against a namespace and a level catalogue: its topics, cleaning rules and window
 * engines' options. Pure data and functions; tasks (one per input partition) are built from it.
 */
export interface CompiledJob {
  readonly definition: Job;
  readonly name: string;
  readonly version: number;
  /** The job with its version when > 1 (`market.v2`): names its late topic, group and changelog. */
  readonly id: string;
  readonly feed: Feed;
  readonly inputTopics: readonly string[];
  readonly lateTopic: string;
  readonly deadLetterTopic: string;
  readonly alertsTopic: string;
  readonly rules: CleaningRules;
  readonly windows: readonly CompiledWindow[];
  /** The processed topic that carries a key's readings and window results. */
  processedTopic(inputTopic: string, key: string): string;
}

export function compileJob(job: Job, namer: TopicNamer, catalogue: LevelCatalogue): CompiledJob {
  const version = job.version ?? 1;
  const id = version === 1 ? job.name : `${job.name}.v${version}`;
  const inline = new Map(Object.entries(job.levelAlerts?.levels ?? {}));
  const levelsOf = (instrumentId: string): Level | undefined =>
    inline.get(instrumentId) ?? catalogue.get(instrumentId);
  const inputTopics = namer
    .rawTopics()
    .filter((t) => namer.parseTopicName(t)?.kind === 'raw' && feedOf(namer, t) === job.feed);
  const perSymbol = new Map<string, string>();
  const processedTopic = (inputTopic: string, key: string): string => {
    switch (job.feed) {
      case Feed.market: {
        let topic = perSymbol.get(key);
        if (topic === undefined) {
          topic = namer.topicName({ kind: 'processed', feed: Feed.market, symbol: key, version });
          perSymbol.set(key, topic);
        }
        return topic;
      }
      case Feed.geotech: {
        const spec = namer.parseTopicName(inputTopic);
        const instrumentType = (spec as { instrumentType: InstrumentType }).instrumentType;
        return namer.topicName({ kind: 'processed', feed: Feed.geotech, instrumentType, version });
      }
      case Feed.sensors:
        return namer.topicName({ kind: 'processed', feed: Feed.sensors, version });
    }
  };
  return Object.freeze({
    definition: job,
    name: job.name,
    version,
    id,
    feed: job.feed,
    inputTopics,
    lateTopic: namer.topicName({ kind: 'late', job: id }),
    deadLetterTopic: namer.topicName({ kind: 'dlq', stage: DeadLetterStage.processor }),
    alertsTopic: namer.topicName({ kind: 'alerts', feed: job.feed, version }),
    rules: { feed: job.feed, ranges: job.clean.ranges ?? {}, levelsOf },
    windows: job.windows.map((w) => ({
      name: w.name,
      options: engineOptionsOf(w, job.maxOutOfOrdernessMs),
      sparkCompatible: w.sparkCompatible === true,
    })),
    processedTopic,
  });
}

function feedOf(namer: TopicNamer, topic: string): Feed | undefined {
  const spec = namer.parseTopicName(topic);
  return spec !== undefined && 'feed' in spec ? spec.feed : undefined;
}
