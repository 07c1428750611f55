import { readFile } from 'node:fs/promises';

/**
 * The seed-data fixtures from the projects Tideline's design comes from: the repository's byte-for-byte
 * copy of ../shared/seed-data (packages/contracts/test/fixtures/seed), so a clone anywhere finds them.
 */
const seedRoot = new URL('../../../packages/contracts/test/fixtures/seed/', import.meta.url);

export function seedFile(path: string): Promise<string> {
  return readFile(new URL(path, seedRoot), 'utf8');
}
