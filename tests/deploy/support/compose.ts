// docker-compose.yml as the deployment tests read it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './services.ts';

export interface ComposeService {
  image?: string;
  build?: { context?: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
  restart?: string;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export async function loadCompose(): Promise<ComposeFile> {
  // merge: true resolves the `<<:` keys the file uses for shared settings.
  return parse(await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as ComposeFile;
}

/** A service's environment as the strings a container sees. */
export function envOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value ?? '')]),
  );
}
