// Replays the Dockerfile's `assemble` stage without Docker: its COPY steps (honouring .dockerignore's
// patterns) and RUN steps, with its ARGs as the environment, in a temporary folder. What the image's
// runtime stage copies is the stage's $OUT; tests start the service from there with plain `node`.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './services.ts';

const run = promisify(execFile);

export interface Stage {
  name: string;
  from: string;
  lines: { instruction: string; args: string }[];
}

/** The Dockerfile's stages, continuation lines joined, comments dropped. */
export async function dockerfileStages(): Promise<Stage[]> {
  const text = await readFile(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const joined = text.replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, instruction = '', args = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    if (instruction.toUpperCase() === 'FROM') {
      const [from = '', , name = ''] = args.split(/\s+/);
      stages.push({ name, from, lines: [] });
    } else {
      stages.at(-1)?.lines.push({ instruction: instruction.toUpperCase(), args });
    }
  }
  return stages;
}

/** .dockerignore's patterns as names to leave out (the file uses `name` and `**\/name` forms only). */
async function ignoredNames(): Promise<string[]> {
  const text = await readFile(path.join(repoRoot, '.dockerignore'), 'utf8');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/^\*\*\//, ''));
}

/** Whether a path (relative to the build context) is left out: a name anywhere, `*.ext`, or a path prefix. */
function isIgnored(relative: string, patterns: string[]): boolean {
  const parts = relative.split(path.sep);
  return patterns.some((p) => {
    if (p.startsWith('*.')) return relative.endsWith(p.slice(1));
    if (p.includes('/')) return relative === p || relative.startsWith(`${p}/`);
    return parts.includes(p);
  });
}

/**
 * Runs the `assemble` stage for one service into `<dir>/image` and returns that folder. `env` adds to
 * the stage's ARGs (e.g. the pnpm store to reuse instead of the build cache mount).
 */
export async function assemble(service: string, dir: string, env: Record<string, string>): Promise<string> {
  const stage = (await dockerfileStages()).find((s) => s.name === 'assemble');
  if (!stage) throw new Error('the Dockerfile has no assemble stage');
  const patterns = await ignoredNames();
  const out = path.join(dir, 'image');
  const args: Record<string, string> = { SERVICE: service, OUT: out };
  let workdir = path.join(dir, 'src');
  await mkdir(workdir, { recursive: true });
  for (const { instruction, args: rest } of stage.lines) {
    if (instruction === 'ARG') {
      const [name = ''] = rest.split('=');
      if (!(name in args)) throw new Error(`ARG ${name} of the assemble stage is not known to the test`);
    } else if (instruction === 'WORKDIR') {
      workdir = path.join(dir, 'src');
    } else if (instruction === 'COPY') {
      const parts = rest.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = path.join(workdir, parts.at(-1)!);
      const sources = parts.slice(0, -1);
      for (const source of sources) {
        const target =
          sources.length > 1 || dest.endsWith('/') ? path.join(dest, path.basename(source)) : dest;
        await cp(path.join(repoRoot, source), target, {
          recursive: true,
          filter: (from) => !isIgnored(path.relative(repoRoot, from), patterns),
        });
      }
    } else if (instruction === 'RUN') {
      const script = rest.replace(/--mount=\S+\s*/g, '');
      await run('sh', ['-c', script], {
        cwd: workdir,
        env: { ...process.env, ...env, ...args },
        maxBuffer: 16 * 1024 * 1024,
      });
    } else {
      throw new Error(`the test does not replay ${instruction} in the assemble stage`);
    }
  }
  return out;
}
