import { readFile } from 'node:fs/promises';

/** The seed-data fixtures from the projects Tideline's design comes from (../shared/seed-data). */
const seedRoot = new URL('../../../../shared/seed-data/', import.meta.url);

export function seedFile(path: string): Promise<string> {
  return readFile(new URL(path, seedRoot), 'utf8');
}
