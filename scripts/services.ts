// The supervisor of `npm run up`: starts Tideline's services as child processes, each only once the
// services it depends on answer their readiness URL, restarts one that dies (with backoff), prints
// where to look once everything is up, and stops them all with SIGTERM on Ctrl-C / SIGTERM (or when
// the process that started it goes away, so nothing is left serving). Services log pino JSON on stdout.
//   node scripts/services.ts [service...]     (default: every service that exists)
// A service is one entry of scripts/lib/service-entries.ts: processor, sinks and query-api go there.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceEntries, type ServiceEntry } from './lib/service-entries.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = serviceEntries(process.env);

const READY_POLL_MS = 250;
const SLOW_START_MS = 30_000;

const wanted = process.argv.slice(2);
const entries = SERVICES.filter((entry) => {
  const script = entry.command.find((part) => part.endsWith('.ts'));
  const exists = script === undefined || existsSync(path.join(root, script));
  if (wanted.length > 0 && !wanted.includes(entry.name)) return false;
  return exists;
});
for (const name of wanted) {
  if (!entries.some((e) => e.name === name)) console.error(`[services] no such service: ${name}`);
}

const children = new Map<string, ChildProcess>();
const readiness = new Map<string, Promise<void>>();
let stopping = false;

function log(message: string): void {
  console.error(`[services] ${message}`);
}

function start(entry: ServiceEntry, attempt = 0): void {
  if (stopping) return;
  const [program, ...args] = entry.command;
  const child = spawn(program === 'node' ? process.execPath : (program as string), args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...entry.env },
  });
  children.set(entry.name, child);
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    children.delete(entry.name);
    if (stopping) return;
    // A service that ran a while before dying starts again at once; one that keeps dying backs off.
    const next = Date.now() - startedAt > 30_000 ? 0 : attempt + 1;
    const delayMs = Math.min(30_000, 500 * 2 ** next);
    log(`${entry.name} exited (${signal ?? code}); restarting in ${delayMs} ms`);
    setTimeout(() => start(entry, next), delayMs).unref();
  });
}

async function untilReady(entry: ServiceEntry): Promise<void> {
  const startedAt = Date.now();
  let warned = false;
  while (!stopping) {
    const ok = await fetch(entry.readyUrl, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (!warned && Date.now() - startedAt > SLOW_START_MS) {
      warned = true;
      log(
        `${entry.name} is not ready after ${SLOW_START_MS / 1000} s; still waiting (see its log lines above, and ${entry.readyUrl})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function launch(entry: ServiceEntry): Promise<void> {
  let ready = readiness.get(entry.name);
  if (ready) return ready;
  ready = (async () => {
    for (const dependency of entry.after) {
      const other = entries.find((e) => e.name === dependency);
      if (other) await launch(other);
    }
    if (stopping) return;
    log(`starting ${entry.name} on port ${entry.port}`);
    start(entry);
    await untilReady(entry);
    if (!stopping) log(`${entry.name} is ready`);
  })();
  readiness.set(entry.name, ready);
  return ready;
}

function stopAll(reason: string): void {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping ${[...children.keys()].join(', ') || 'nothing'}`);
  for (const child of children.values()) child.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 30_000);
  deadline.unref();
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      process.exit(0);
    }
  }, 100);
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
process.on('SIGHUP', () => stopAll('SIGHUP'));
// If whatever started us (npm, a shell) dies without passing a signal on, we are re-parented: stop
// rather than serve on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stopAll('parent process exited');
}, 1000).unref();

log(`starting ${entries.map((e) => e.name).join(', ')}`);
await Promise.all(entries.map((entry) => launch(entry)));
if (!stopping) {
  const width = Math.max(...entries.map((e) => e.name.length));
  log(
    [
      'everything is up:',
      ...entries.map((e) => `  ${e.name.padEnd(width)}  ${e.links.join('  ')}`),
      "  logs: the JSON lines above (one per event, by service); metrics: each service's /metrics",
      '  Ctrl-C (or SIGTERM) stops the services; Kafka, Elasticsearch, PostgreSQL and Redis keep running',
      '  (`npm run down` stops them).',
    ].join('\n'),
  );
}
