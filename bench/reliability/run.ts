// `pnpm reliability [--only=<text>]`: the reliability suite. Runs each scenario against services
// started here on loopback ports (bounded by each scenario's time limit), prints one row per scenario
// and the cases that did not end as expected, and writes bench/results/reliability.json. Exits
// non-zero when a case ended otherwise than expected or a service crashed; never on timing.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka } from '@tideline/kafka';
import { deleteKafkaResources, deleteRedisKeys } from '../lib/cleanup.ts';
import { stack } from '../lib/stack.ts';
import { deleteTidelineState } from '../lib/tideline-processor.ts';
import type { ScenarioContext, ScenarioResult } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { createServices } from './services.ts';

interface Row {
  scenario: string;
  cases: number;
  'as expected': number;
  '4xx': number;
  'dead letters': number;
  '5xx': number;
  crashes: number;
  seconds: number;
  status: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = arg('only');
  const skip = arg('skip');
  const soakMinutes = Number(arg('soak-minutes') ?? 10);
  const rate = Number(arg('rate') ?? 300);
  if (!(soakMinutes > 0) || !(rate > 0))
    throw new Error('--soak-minutes and --rate must be positive numbers');
  const kafka = createKafka({ clientId: 'reliability', brokers: stack.kafkaBrokers });
  // Letters and digits only: the tag goes into symbols, ids and CSV fields.
  const tag = `REL${randomBytes(3).toString('hex').toUpperCase()}`;
  const namespaces: string[] = [];
  // Parts this checkout lacks can run from another one (e.g. main's) before they are merged here.
  const services = createServices({ processor: process.env.TIDELINE_PROCESSOR_ROOT || undefined });
  const context: ScenarioContext = {
    kafka,
    brokers: stack.kafkaBrokers,
    tag,
    services,
    claimNamespace: (namespace) => void namespaces.push(namespace),
    options: { rate, soakMinutes },
  };
  const rows: Row[] = [];
  const startedAt = new Date().toISOString();
  const results: { scenario: string; status: string; result?: ScenarioResult }[] = [];
  try {
    for (const scenario of SCENARIOS) {
      // Comma-separated parts of scenario names.
      const matches = (list: string) => list.split(',').some((part) => scenario.name.includes(part));
      if (only && !matches(only)) continue;
      if (skip && matches(skip)) continue;
      const missing = scenario.requires
        .map((part) => services.availability(part))
        .filter((a) => !a.available);
      if (missing.length > 0) {
        const status = `not available: ${missing.map((m) => (m.available ? '' : m.reason)).join('; ')}`;
        rows.push(emptyRow(scenario.name, status));
        results.push({ scenario: scenario.name, status });
        continue;
      }
      console.error(`[reliability] ${scenario.name}: ${scenario.description}`);
      const started = performance.now();
      let result: ScenarioResult | undefined;
      let status = 'ran';
      try {
        result = await withTimeout(
          scenario.run(context),
          scenario.timeoutFor?.(context.options) ?? scenario.timeoutMs,
        );
      } catch (error) {
        status = `error: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        await services.stopAll();
      }
      const seconds = (performance.now() - started) / 1000;
      const cases = result?.cases ?? [];
      const failed = cases.filter((c) => !c.ok).length + (result?.crashes.length ?? 0);
      console.error(
        `[reliability] ${scenario.name}: ${status}, ${failed} not as expected, ${seconds.toFixed(0)} s`,
      );
      if (result && failed > 0) status = `${failed} not as expected`;
      rows.push({
        scenario: scenario.name,
        cases: cases.length,
        'as expected': cases.filter((c) => c.ok).length,
        '4xx': cases.filter((c) => c.status !== undefined && c.status >= 400 && c.status < 500).length,
        'dead letters': cases.reduce((n, c) => n + (c.deadLetters ?? 0), 0),
        '5xx': cases.filter((c) => c.status !== undefined && c.status >= 500).length,
        crashes: result?.crashes.length ?? 0,
        seconds: Math.round(seconds * 10) / 10,
        status,
      });
      results.push({ scenario: scenario.name, status, result });
    }
  } finally {
    await services.stopAll();
    const owned = (name: string) => namespaces.some((namespace) => name.includes(namespace));
    if (namespaces.length > 0) await deleteKafkaResources(kafka, owned);
    for (const namespace of namespaces) await deleteTidelineState(namespace);
    await deleteRedisKeys(stack.redisUrl, `reliability:${tag}:`);
  }

  console.table(rows);
  for (const { scenario, result } of results) {
    for (const c of result?.cases.filter((c) => !c.ok) ?? []) {
      console.log(`NOT AS EXPECTED  ${scenario} / ${c.name}: expected ${c.expected}, got ${c.got}`);
    }
    for (const crash of result?.crashes ?? []) console.log(`CRASHED  ${scenario}: ${crash}`);
    if (result?.figures) console.log(`${scenario}: ${JSON.stringify(result.figures)}`);
  }
  const recomputation = results.flatMap(({ scenario, result }) =>
    (result?.recomputation ?? []).map((row) => ({ scenario, ...row })),
  );
  if (recomputation.length > 0) {
    console.log('\nRecomputation from the raw log vs the sinks (lost and duplicated must be 0):');
    console.table(recomputation);
  }
  for (const { scenario, result } of results) {
    if (result?.rss) {
      console.log(`\nRSS per service (${scenario}, ${soakMinutes} min at ${rate} events/s):`);
      console.table(result.rss);
    }
    for (const note of result?.notes ?? []) console.log(`${scenario}: ${note}`);
  }

  const out = path.join(root, 'bench', 'results', 'reliability.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        name: 'reliability',
        startedAt,
        options: { rate, soakMinutes, only: only ?? null, skip: skip ?? null },
        loadAverage: os.loadavg(),
        tag,
        rows,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(root, out)}`);
  const bad = rows.some((r) => r.crashes > 0 || r['as expected'] < r.cases || r.status.startsWith('error'));
  if (bad) process.exitCode = 1;
}

function emptyRow(scenario: string, status: string): Row {
  return {
    scenario,
    cases: 0,
    'as expected': 0,
    '4xx': 0,
    'dead letters': 0,
    '5xx': 0,
    crashes: 0,
    seconds: 0,
    status,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

await main();
