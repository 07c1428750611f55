import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { topicNamer, withEventId, type WindowAggregate } from '@tideline/contracts';
import { parseJobs } from '../../../src/app.ts';
import { compileJob } from '../../../src/jobs/compile-job.ts';
import { JobTask } from '../../../src/jobs/job-task.ts';

interface Golden {
  readonly batches: [string, string, number][][];
  readonly rows: {
    symbol: string;
    startMs: number;
    endMs: number;
    avgBits: string;
    min: number;
    max: number;
    count: number;
  }[];
}

const goldenDir = new URL('../../../../../packages/windowing/test/golden/', import.meta.url);
const sparkJob = parseJobs({
  jobs: [
    {
      name: 'market',
      feed: 'market',
      maxOutOfOrdernessMs: 5000,
      clean: {},
      readings: false,
      windows: [
        {
          name: 'market-hopping',
          window: { type: 'hopping', sizeMs: 3000, advanceMs: 1000 },
          aggregates: { avg: { fn: 'avg' }, min: { fn: 'min' }, max: { fn: 'max' } },
          sparkCompatible: true,
        },
      ],
    },
  ],
}).jobs[0]!;

function bits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

for (const dataset of ['one-per-batch', 'batches-1-to-20']) {
  test(`the Spark-compatible market job, one fetch batch per micro-batch, gives real Spark's rows (${dataset})`, () => {
    const golden = JSON.parse(
      readFileSync(fileURLToPath(new URL(`${dataset}.json`, goldenDir)), 'utf8'),
    ) as Golden;
    const namer = topicNamer('unit');
    const task = new JobTask(
      compileJob(sparkJob, namer, new Map()),
      namer.topicName({ kind: 'raw', feed: 'market' }),
      0,
    );
    const windows: WindowAggregate[] = [];
    let offset = 0;
    const run = (texts: string[]) => {
      const records = texts.map((text) => ({
        offset: String(offset++),
        value: Buffer.from(text),
        timestamp: '0',
      }));
      for (const r of task.processBatch(records).records) {
        if (r.headers['tl-kind'] === 'window') windows.push(JSON.parse(r.value) as WindowAggregate);
      }
    };
    for (const batch of golden.batches) {
      run(
        batch.map(([symbol, price, eventTimeMs]) =>
          JSON.stringify(
            withEventId({
              schemaVersion: 1,
              feed: 'market',
              symbol,
              side: 'BUY',
              price: Number(price),
              quantity: 1,
              eventTimeMs,
              source: 'spark-golden',
            }),
          ),
        ),
      );
    }
    run([]); // Spark's closing no-data batch
    const ours = windows.map((w) => [
      w.key,
      w.windowStartMs,
      w.windowEndMs,
      bits(w.aggregates['avg'] as number),
      w.aggregates['min'],
      w.aggregates['max'],
      w.count,
    ]);
    const spark = golden.rows.map((r) => [r.symbol, r.startMs, r.endMs, r.avgBits, r.min, r.max, r.count]);
    const order = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    assert.ok(spark.length > 200);
    assert.deepEqual(ours.sort(order), spark.sort(order));
  });
}
