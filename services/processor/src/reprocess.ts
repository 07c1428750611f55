// `pnpm --filter @tideline/processor reprocess <command>`: Kappa reprocessing.
//   run --job <name> --version <n>   run the job as output version n from the beginning of the raw
//                                    topics into `.v<n>` outputs, with a progress bar until it has caught
//                                    up; it then keeps processing live data until stopped (Ctrl-C)
//   status --job <name>              the job's versions and the one the query API serves
//   cutover --job <name> --version <n>  serve version n; the old version keeps running until stopped
// The environment is the processor's (PROCESSOR_*): namespace, brokers, Redis, jobs file.
import { parseArgs } from 'node:util';
import { topicNamer } from '@tideline/contracts';
import { loadConfig } from '@tideline/config';
import { createKafka } from '@tideline/kafka';
import { createLogger } from '@tideline/logging';
import { Redis } from 'ioredis';
import { groupIdOf, loadJobsFile, ProcessorConfigSchema, selectJobs } from './app.ts';
import { compileJob } from './jobs/compile-job.ts';
import { JobRegistry } from './reprocess/job-registry.ts';
import { formatProgress, ProgressTracker } from './reprocess/progress.ts';
import { inputLag } from './reprocess/lag.ts';
import { jobsFileOf, serveProcessor } from './serve.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { job: { type: 'string' }, version: { type: 'string' } },
});
const command = positionals[0];
const config = loadConfig(ProcessorConfigSchema, process.env, { prefix: 'PROCESSOR_' });
const jobName = values.job;
if (!jobName || !['run', 'status', 'cutover'].includes(command ?? '')) usage();
const version = Number(values.version ?? NaN);
if (command !== 'status' && !(Number.isInteger(version) && version >= 1)) usage();

const redis = new Redis(config.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
const registry = new JobRegistry(redis, config.TOPIC_NAMESPACE);

if (command === 'status') {
  const { serving, versions } = await registry.versions(jobName);
  console.table(versions.map((v) => ({ ...v, serving: v.version === serving })));
  if (versions.length === 0) console.log(`${jobName}: no reprocessing recorded; version ${serving} serves`);
  redis.disconnect();
} else if (command === 'cutover') {
  const { previous } = await registry.cutOver(jobName, version, Date.now());
  console.log(
    `${jobName}: version ${version} now serves (was ${previous}); stop version ${previous}'s processor when ready`,
  );
  redis.disconnect();
} else {
  await runVersion(jobName, version);
}

async function runVersion(name: string, outputVersion: number): Promise<void> {
  const logger = createLogger({ service: 'processor-reprocess', level: 'warn' });
  const [job] = selectJobs(loadJobsFile(jobsFileOf(config)), [name]).map((j) => ({
    ...j,
    version: outputVersion,
  }));
  if (job === undefined) return usage();
  const kafka = createKafka({ clientId: 'tideline-reprocess', brokers: config.KAFKA_BROKERS.split(',') });
  const compiled = compileJob(job, topicNamer(config.TOPIC_NAMESPACE), new Map());
  const groupId = groupIdOf(config.TOPIC_NAMESPACE, config.GROUP_PREFIX, compiled.id);
  await registry.register(name, outputVersion, Date.now());
  await serveProcessor(config, [job], { logger, kafka, redis });
  const admin = kafka.admin();
  await admin.connect();
  const first = await inputLag(admin, groupId, compiled.inputTopics);
  const tracker = new ProgressTracker(first.lag, Date.now());
  console.log(
    `${name} v${outputVersion}: replaying ${first.lag.toLocaleString('en-US')} records from the beginning into .v${outputVersion} outputs`,
  );
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await inputLag(admin, groupId, compiled.inputTopics);
    const progress = tracker.update(now.lag, now.end - first.end, Date.now());
    process.stdout.write(`\r${formatProgress(progress)}   `);
    if (now.lag === 0 && now.committed) break;
  }
  await registry.caughtUp(name, outputVersion, Date.now());
  console.log(
    `\n${name} v${outputVersion} caught up in ${tracker.elapsedSeconds.toFixed(1)} s; it keeps processing live data.`,
  );
  console.log(
    `Cut over with: pnpm --filter @tideline/processor reprocess cutover --job ${name} --version ${outputVersion}`,
  );
  await admin.disconnect();
}

function usage(): never {
  console.error('usage: reprocess run|cutover --job <name> --version <n>  |  reprocess status --job <name>');
  process.exit(2);
}
