import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { LatestField, type CleanReading } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { READ_KEY, buildApp, geotechReading } from '../support/harness.ts';
import { launchChromium } from '../support/chromium.ts';
import { publishUpdate, seed, type Seeded } from '../support/seed.ts';

const outputDir = new URL('../output/', import.meta.url);
const startMs = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
const reading = (i: number, value: number): CleanReading => ({
  ...geotechReading('PZ-LIVE', i, value),
  eventId: `live-${i}`,
  eventTimeMs: startMs + i * 10_000,
});

let seeded: Seeded;
let app: FastifyInstance;
let browser: BrowserContext;
let url: string;

before(async () => {
  seeded = await seed({ readings: Array.from({ length: 12 }, (_, i) => reading(i, 40 + i)) });
  app = await buildApp(seeded, { HISTORY_CACHE_MS: '0' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await seeded?.cleanup();
});

test('the live page draws the history, then points published by the processor, equal to the API', async () => {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/live?feed=geotech&key=PZ-LIVE&api_key=${READ_KEY}`);
  await page.waitForFunction("document.getElementById('status')?.textContent?.includes('live')", null, {
    timeout: 20_000,
  });

  // Published as the processor does: the hash field written, then PUBLISH on the update channel.
  const live = [reading(12, 61.5), reading(13, 83.25), reading(14, 47)];
  for (const [n, r] of live.entries()) {
    const receivers = await publishUpdate(seeded.namespace, {
      feed: 'geotech',
      key: 'PZ-LIVE',
      field: LatestField.reading,
      value: r,
    });
    assert.equal(receivers, 1, 'the API is subscribed');
    await seeded.add({ readings: [r] });
    await page.waitForFunction(`window.tideline.updates() >= ${n + 1}`, null, { timeout: 10_000 });
  }

  const drawn = (await page.evaluate('window.tideline.drawn()')) as {
    times: number[];
    values: number[];
  };
  const api = await fetch(
    `${url}/v1/instruments/PZ-LIVE/readings?from=${startMs}&to=${startMs + 3_600_000}`,
    {
      headers: { 'x-api-key': READ_KEY },
    },
  ).then((r) => r.json() as Promise<{ items: { timeMs: number; value: number }[] }>);
  assert.equal(api.items.length, 15);
  assert.deepEqual(
    drawn.values,
    api.items.map((i) => i.value),
  );
  assert.deepEqual(
    drawn.times.map((t) => Math.round(t * 1000)),
    api.items.map((i) => i.timeMs),
  );
  const levels = await page.evaluate('window.tideline.levels()');
  assert.deepEqual(levels, { alertLevel: 50, alarmLevel: 80 });
  assert.match((await page.textContent('#levels')) ?? '', /alarmLevel 80/);
  // The chart is really there: uPlot drew its canvas.
  assert.equal(await page.locator('#chart canvas').count(), 1);

  await mkdir(outputDir, { recursive: true });
  await page.screenshot({ path: new URL('live-view.png', outputDir).pathname, fullPage: true });
  assert.deepEqual(pageErrors, []);
});
