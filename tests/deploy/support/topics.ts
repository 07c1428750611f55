// The fixed topics a deployment creates ahead of the services, derived from packages/contracts'
// topicName and the processor's default jobs file (late.<job>, changelog.<group prefix>.<job>).
// processed.market.<SYMBOL> topics are per symbol and created by the processor on demand.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeadLetterStage, Feed, InstrumentType, topicName, valuesOf } from '@tideline/contracts';
import { repoRoot } from './services.ts';

interface ProcessorEntry {
  loadJobsFile(file: string): { jobs: { name: string; version?: number }[] };
  groupIdOf(namespace: string, prefix: string, jobId: string): string;
}

export async function processorEntry(): Promise<ProcessorEntry> {
  return (await import(
    pathToFileURL(path.join(repoRoot, 'services/processor/src/app.ts')).href
  )) as ProcessorEntry;
}

/** The processor's job ids as its default jobs file names them (`<name>` or `<name>.v<version>`). */
export async function defaultJobIds(): Promise<string[]> {
  const { loadJobsFile } = await processorEntry();
  const file = loadJobsFile(path.join(repoRoot, 'services/processor/jobs/default.json'));
  return file.jobs.map((job) => ((job.version ?? 1) === 1 ? job.name : `${job.name}.v${job.version}`));
}

export const PROCESSOR_GROUP_PREFIX = 'tideline-processor';

export async function fixedTopics(): Promise<{ plain: string[]; compacted: string[] }> {
  const jobs = await defaultJobIds();
  const plain = [
    ...valuesOf(InstrumentType).map((t) => topicName({ kind: 'raw', feed: 'geotech', instrumentType: t })),
    topicName({ kind: 'raw', feed: 'market' }),
    topicName({ kind: 'raw', feed: 'sensors' }),
    ...valuesOf(InstrumentType).map((t) =>
      topicName({ kind: 'processed', feed: 'geotech', instrumentType: t }),
    ),
    topicName({ kind: 'processed', feed: 'sensors' }),
    ...valuesOf(Feed).map((feed) => topicName({ kind: 'alerts', feed })),
    ...jobs.map((job) => topicName({ kind: 'late', job })),
    ...valuesOf(DeadLetterStage).map((stage) => topicName({ kind: 'dlq', stage })),
  ];
  const compacted = jobs.map((job) =>
    topicName({ kind: 'changelog', job: `${PROCESSOR_GROUP_PREFIX}.${job}` }),
  );
  return { plain: plain.sort(), compacted: compacted.sort() };
}
