// `npm run up` as a user runs it, then SIGTERM to the npm process alone: the supervisor gets the
// signal (up.sh execs it) and every service it started stops; nothing is left serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropTestResources } from '../support/cleanup.ts';
import { uniqueName } from '../support/env.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_PORT = 28281;
const INGEST_PORT = 28282;
const PROCESSOR_PORT = 28283;
const QUERY_PORT = 28284;
const SINK_PG_PORT = 28285;
const SINK_ES_PORT = 28286;
const ALL_PORTS = [SOURCE_PORT, INGEST_PORT, PROCESSOR_PORT, QUERY_PORT, SINK_PG_PORT, SINK_ES_PORT];

/** Every descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command in parentheses, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

test(
  'SIGTERM to `npm run up` stops the supervisor and every service it started',
  { timeout: 300_000 },
  async () => {
    const namespace = uniqueName('t-up');
    const cursorKey = `e2e:up:cursors:${namespace}`;
    const pgSchema = namespace.replaceAll('-', '_');
    // Every service in a corner of its own: ports, topics, groups, schema, indices, Redis keys.
    let output = '';
    const npm = spawn('npm', ['run', 'up'], {
      cwd: root,
      env: {
        ...process.env,
        SOURCE_API_PORT: String(SOURCE_PORT),
        SOURCE_API_LOG_LEVEL: 'warn',
        INGEST_PORT: String(INGEST_PORT),
        INGEST_LOG_LEVEL: 'warn',
        INGEST_TOPIC_NAMESPACE: namespace,
        INGEST_LEGACY_GROUP_ID: `${namespace}-legacy`,
        INGEST_CURSOR_KEY: cursorKey,
        INGEST_FEEDS: 'market',
        PROCESSOR_PORT: String(PROCESSOR_PORT),
        PROCESSOR_LOG_LEVEL: 'warn',
        PROCESSOR_TOPIC_NAMESPACE: namespace,
        QUERY_API_PORT: String(QUERY_PORT),
        QUERY_API_LOG_LEVEL: 'warn',
        QUERY_API_PG_SCHEMA: pgSchema,
        QUERY_API_STATE_NAMESPACE: namespace,
        SINK_PG_PORT: String(SINK_PG_PORT),
        SINK_PG_LOG_LEVEL: 'warn',
        SINK_PG_TOPIC_NAMESPACE: namespace,
        SINK_PG_GROUP_ID: `${namespace}.sink-postgres`,
        SINK_PG_PG_SCHEMA: pgSchema,
        SINK_ES_PORT: String(SINK_ES_PORT),
        SINK_ES_LOG_LEVEL: 'warn',
        SINK_ES_TOPIC_NAMESPACE: namespace,
        SINK_ES_GROUP_ID: `${namespace}.sink-elasticsearch`,
        SINK_ES_INDEX_PREFIX: namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    let tree: number[] = [];
    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes('everything is up')) {
        assert.ok(npm.exitCode === null, `npm run up exited early:\n${output}`);
        assert.ok(Date.now() < deadline, `not up in time:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.match(
        output,
        /source-api is ready[\s\S]*starting ingest/,
        'ingest starts after source-api is ready',
      );
      assert.ok(await answers(`http://127.0.0.1:${INGEST_PORT}/readyz`), 'ingest serves');
      tree = descendants(npm.pid as number);
      const services = tree.filter((pid) => {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('services/') && cmdline.includes('main.ts');
      });
      assert.equal(services.length, 6, `the six services run under npm: ${tree.join(' ')}`);

      npm.kill('SIGTERM');
      assert.equal(typeof (await exited), 'number');
      for (let i = 0; i < 100 && tree.some(alive); i++)
        await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(
        tree.filter(alive),
        [],
        `every process under npm run up is gone:\n${output.slice(-2000)}`,
      );
      for (const port of ALL_PORTS) {
        assert.equal(await answers(`http://127.0.0.1:${port}/healthz`), false, `nothing serves on ${port}`);
      }
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      // Whatever is left (re-parented orphans included, when the test fails) is ended by its pid.
      for (const pid of [...tree, ...descendants(npm.pid as number)])
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      await dropTestResources({ namespace, pgSchema, indexPrefix: namespace, redisPatterns: [cursorKey] });
    }
  },
);
