// `pnpm bench <name>`: runs bench/<name>.ts, prints a table of its figures and writes
// bench/results/<name>.json ({ metric, value, unit, target } rows plus the machine it ran on).
// Benchmarks report; they never fail a build on timing.
import { writeFile, mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
  /** What the issue asks for, e.g. ">= 1000000"; informational only. */
  target?: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');

async function main(): Promise<void> {
  const name = process.argv[2];
  const available = (await readdir(benchDir)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  if (!name || !available.includes(name)) {
    console.error(`usage: pnpm bench <name>; available: ${available.sort().join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const mod = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as {
    run: (args: string[]) => Promise<BenchMetric[]>;
  };
  const startedAt = new Date().toISOString();
  const metrics = await mod.run(process.argv.slice(3));
  const machine = {
    host: os.hostname(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  console.table(
    metrics.map((m) => ({ metric: m.metric, value: round(m.value), unit: m.unit, target: m.target ?? '' })),
  );
  const out = path.join(benchDir, 'results', `${name}.json`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ name, startedAt, machine, metrics }, null, 2) + '\n');
  console.log(`wrote ${path.relative(root, out)}`);
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

await main();
