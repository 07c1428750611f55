import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadJobsFile, parseJobs, selectJobs } from '../../../src/app.ts';
import { ProcessorError } from '../../../src/errors.ts';

const jobsDir = fileURLToPath(new URL('../../../jobs/', import.meta.url));

test('the shipped jobs files are valid', () => {
  const file = loadJobsFile(`${jobsDir}default.json`);
  assert.deepEqual(
    file.jobs.map((j) => j.name),
    ['geotech', 'market', 'sensors'],
  );
  assert.equal(loadJobsFile(`${jobsDir}bench-market.json`).jobs.length, 1);
});

test('an invalid jobs file is refused with every bad field named', () => {
  const bad = {
    jobs: [
      {
        name: 'Market',
        feed: 'market',
        maxOutOfOrdernessMs: -1,
        clean: {},
        readings: true,
        windows: [
          {
            name: 'w',
            window: { type: 'hopping', sizeMs: 1000, advanceMs: 0 },
            aggregates: { a: { fn: 'median' } },
          },
        ],
      },
    ],
  };
  const error = refusal(() => parseJobs(bad));
  const problems = error.problems.join('\n');
  assert.equal(error.code, 'PROC_ERR_INVALID_JOBS');
  for (const field of [
    'jobs.0.name',
    'jobs.0.maxOutOfOrdernessMs',
    'jobs.0.windows.0.window',
    'jobs.0.windows.0.aggregates.a',
  ]) {
    assert.match(problems, new RegExp(`^${field.replaceAll('.', '\\.')}`, 'm'), field);
  }
});

test('meaning is checked too: repeated window names, an advance larger than the size, levels off geotech', () => {
  const window = {
    name: 'w',
    window: { type: 'hopping', sizeMs: 1000, advanceMs: 2000 },
    aggregates: { n: { fn: 'count' } },
  };
  const job = (name: string, feed: string) => ({
    name,
    feed,
    maxOutOfOrdernessMs: 0,
    clean: {},
    readings: false,
    windows: [window],
  });
  const error = refusal(() =>
    parseJobs({
      jobs: [job('a', 'market'), { ...job('b', 'sensors'), levelAlerts: { hysteresisFraction: 0.1 } }],
    }),
  );
  const problems = error.problems;
  assert.ok(problems.some((p) => p.startsWith('jobs.0.windows.0.window.advanceMs')));
  assert.ok(problems.some((p) => p.startsWith('jobs.1.windows.0.name') && p.includes('declared twice')));
  assert.ok(problems.some((p) => p.startsWith('jobs.1.levelAlerts')));
});

test('selectJobs keeps the named jobs and refuses unknown ones', () => {
  const file = loadJobsFile(`${jobsDir}default.json`);
  assert.deepEqual(
    selectJobs(file, ['sensors']).map((j) => j.name),
    ['sensors'],
  );
  assert.throws(() => selectJobs(file, ['weather']), /unknown jobs: weather/);
});

function refusal(f: () => unknown): ProcessorError {
  try {
    f();
  } catch (error) {
    assert.ok(error instanceof ProcessorError);
    return error;
  }
  assert.fail('expected a ProcessorError');
}
