// Builds the Maven projects under bench/peers (once; again when a source changes) and runs Java
// processes from their classpaths.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const peersDir = path.dirname(fileURLToPath(import.meta.url));

/** `mvn -q -B package` in bench/peers/<project> unless its last build is newer than the pom and sources. */
export async function buildMavenProject(project: string): Promise<string> {
  const dir = path.join(peersDir, project);
  const stamp = path.join(dir, 'target', '.built');
  const built = await stat(stamp).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built === 0 || (await newestSourceMs(dir)) > built) {
    console.error(`building bench/peers/${project} with Maven (downloads once into ~/.m2)...`);
    await run('mvn', ['-q', '-B', 'package'], { cwd: dir, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    await writeFile(stamp, new Date().toISOString() + '\n');
  }
  return dir;
}

/** The classpath of a built project: its classes (when it has any) and target/lib/*. */
export function classpathOf(dir: string): string {
  return [path.join(dir, 'target', 'classes'), path.join(dir, 'target', 'lib', '*')].join(path.delimiter);
}

export function spawnJava(classpath: string, mainClass: string, args: string[]): ChildProcess {
  return spawn('java', ['-cp', classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function newestSourceMs(dir: string): Promise<number> {
  let newest = (await stat(path.join(dir, 'pom.xml'))).mtimeMs;
  const src = path.join(dir, 'src');
  const entries = await readdir(src, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile()) {
      newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}
