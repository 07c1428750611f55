import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ProcessorError, ProcessorErrorCodes } from '../errors.ts';
import { JobsFileSchema, type Job, type JobsFile } from './job-schema.ts';

/** Reads and validates a jobs file; every problem is reported at once, each naming its field. */
export function loadJobsFile(path: string): JobsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProcessorError(ProcessorErrorCodes.invalidJobs, `cannot read jobs file ${path}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = `jobs file ${path} is not JSON: ${(error as Error).message}`;
    throw new ProcessorError(ProcessorErrorCodes.invalidJobs, message, { cause: error });
  }
  return parseJobs(data, path);
}

/** Validates jobs given as data (a parsed file); `where` names the source in error messages. */
export function parseJobs(data: unknown, where = 'jobs'): JobsFile {
  const problems: string[] = [];
  for (const error of Value.Errors(JobsFileSchema, data)) {
    problems.push(`${fieldOf(error.path)}: ${error.message}`);
  }
  if (problems.length === 0) problems.push(...semanticProblems((data as JobsFile).jobs));
  if (problems.length > 0) {
    // A union's alternatives each report; keep each field's first message, in order.
    const unique = [...new Map(problems.map((p) => [p.split(':')[0], p])).values()];
    throw new ProcessorError(
      ProcessorErrorCodes.invalidJobs,
      `invalid jobs in ${where}:\n${unique.map((p) => `  - ${p}`).join('\n')}`,
      { problems: unique },
    );
  }
  return deepFreeze(data as JobsFile);
}

/** Keeps only the named jobs (all when `names` is empty), refusing unknown names. */
export function selectJobs(file: JobsFile, names: readonly string[]): Job[] {
  if (names.length === 0) return [...file.jobs];
  const unknown = names.filter((n) => !file.jobs.some((j) => j.name === n));
  if (unknown.length > 0) {
    throw new ProcessorError(ProcessorErrorCodes.invalidJobs, `unknown jobs: ${unknown.join(', ')}`, {
      problems: unknown.map((n) => `jobs: no job named ${n}`),
    });
  }
  return file.jobs.filter((j) => names.includes(j.name));
}

function semanticProblems(jobs: readonly Job[]): string[] {
  const problems: string[] = [];
  const jobNames = new Set<string>();
  const windowNames = new Set<string>();
  jobs.forEach((job, i) => {
    if (jobNames.has(job.name)) problems.push(`jobs.${i}.name: job ${job.name} is declared twice`);
    jobNames.add(job.name);
    if (job.levelAlerts !== undefined && job.feed !== 'geotech') {
      problems.push(`jobs.${i}.levelAlerts: level alerts apply to the geotech feed only`);
    }
    job.windows.forEach((w, k) => {
      const at = `jobs.${i}.windows.${k}`;
      // Window results are named by the window job: the name is unique across all jobs.
      if (windowNames.has(w.name)) problems.push(`${at}.name: window job ${w.name} is declared twice`);
      windowNames.add(w.name);
      if (w.window.type === 'hopping' && w.window.advanceMs > w.window.sizeMs) {
        problems.push(`${at}.window.advanceMs: must not exceed sizeMs (${w.window.sizeMs})`);
      }
      if (w.window.type === 'count' && w.emit !== undefined && w.emit.type !== 'on-window-close') {
        problems.push(`${at}.emit: count windows fire as they fill: use on-window-close`);
      }
      if (w.sparkCompatible === true && w.window.type !== 'tumbling' && w.window.type !== 'hopping') {
        problems.push(`${at}.sparkCompatible: only time windows have a Spark-compatible mode`);
      }
    });
  });
  return problems;
}

function fieldOf(path: string): string {
  return path === '' ? '(root)' : path.replace(/^\//, '').replaceAll('/', '.');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
