// The monorepo's wiring, checked: every project is @tideline/*, its tsconfig references mirror its
// workspace dependencies exactly, and the root build references every project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface TsConfig {
  references?: { path: string }[];
}

async function json<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(path.join(root, file), 'utf8')) as T;
}

async function projects(): Promise<string[]> {
  const found: string[] = ['tests'];
  for (const group of ['packages', 'services']) {
    for (const entry of await readdir(path.join(root, group), { withFileTypes: true })) {
      if (entry.isDirectory()) found.push(`${group}/${entry.name}`);
    }
  }
  return found.sort();
}

test('every workspace project is named @tideline/<folder>', async () => {
  for (const dir of await projects()) {
    const { name } = await json<Manifest>(`${dir}/package.json`);
    assert.equal(name, `@tideline/${path.basename(dir)}`, dir);
  }
});

test('tsconfig references mirror workspace dependencies exactly', async () => {
  const byName = new Map<string, string>();
  for (const dir of await projects()) byName.set((await json<Manifest>(`${dir}/package.json`)).name, dir);
  for (const dir of await projects()) {
    const manifest = await json<Manifest>(`${dir}/package.json`);
    const workspaceDeps = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter(([, version]) => version.startsWith('workspace:'))
      .map(([name]) => byName.get(name) ?? `unknown ${name}`)
      .sort();
    const { references = [] } = await json<TsConfig>(`${dir}/tsconfig.json`);
    const referenced = references.map((r) => path.relative(root, path.resolve(root, dir, r.path))).sort();
    assert.deepEqual(referenced, workspaceDeps, `${dir}: references vs workspace dependencies`);
  }
});

test('the root build references every project', async () => {
  const { references = [] } = await json<TsConfig>('tsconfig.json');
  assert.deepEqual(references.map((r) => r.path).sort(), await projects());
});
