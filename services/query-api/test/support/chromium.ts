// Headless Chromium for browser tests: Debian's package, installed here when missing (CI on a fresh
// machine runs as root), driven by playwright-core (which downloads no browser of its own).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const install = spawnSync(
    'bash',
    ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'],
    {
      stdio: 'inherit',
    },
  );
  if (install.status !== 0 || !existsSync(CHROMIUM))
    throw new Error(
      `cannot install chromium (apt-get exited ${install.status}); run as root: apt-get install -y chromium`,
    );
}

/** A fresh browser profile each time, nothing phoning home. */
export async function launchChromium(): Promise<BrowserContext> {
  ensureChromium();
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'tideline-chromium-'));
  // launchPersistentContext passes --headless and --user-data-dir=<the fresh dir> itself.
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1200, height: 700 },
  });
}
