// Runs Tideline's services as child processes for `npm run up`: each service's src/main.ts, in
// dependency order, restarted with backoff if it dies, all stopped with SIGTERM on Ctrl-C / SIGTERM.
// Logs are the services' own pino JSON lines on stdout.
//   node scripts/services.ts [service...]     (default: every service that exists)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Start order: producers of data after the things they call. */
const ORDER = ['source-api', 'processor', 'sink-postgres', 'sink-elasticsearch', 'query-api', 'ingest'];

const wanted = process.argv.slice(2);
const services = (wanted.length > 0 ? wanted : ORDER).filter((name) => {
  const exists = existsSync(path.join(root, 'services', name, 'src', 'main.ts'));
  if (!exists && wanted.length > 0) console.error(`[services] no such service: ${name}`);
  return exists;
});

const children = new Map<string, ChildProcess>();
let stopping = false;

function start(name: string, attempt = 0): void {
  const child = spawn(process.execPath, [path.join('services', name, 'src', 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  children.set(name, child);
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    // A service that ran a while before dying starts again at once; one that keeps dying backs off.
    const next = Date.now() - startedAt > 30_000 ? 0 : attempt + 1;
    const delayMs = Math.min(30_000, 500 * 2 ** next);
    console.error(`[services] ${name} exited (${signal ?? code}); restarting in ${delayMs} ms`);
    setTimeout(() => start(name, next), delayMs).unref();
  });
}

function stopAll(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  console.error(`[services] ${signal}: stopping ${[...children.keys()].join(', ')}`);
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
console.error(`[services] starting ${services.join(', ')}`);
for (const name of services) start(name);
