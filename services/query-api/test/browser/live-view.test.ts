import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { LatestField, type CleanReading } from '@tideline/contracts';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { READ_KEY, alertOf, buildApp, geotechReading, trade, windowOf } from '../support/harness.ts';
import { launchChromium } from '../support/chromium.ts';
import { publishUpdate, seed, type Seeded } from '../support/seed.ts';

const outputDir = new URL('../output/', import.meta.url);
const startMs = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
const reading = (i: number, value: number): CleanReading => ({
  ...geotechReading('PZ-LIVE', i, value),
  eventId: `live-${i}`,
  eventTimeMs: startMs + i * 10_000,
});

const price = (i: number): CleanReading => ({
  ...trade('CBA', i, 100 + (i % 3)),
  eventTimeMs: startMs + i * 1000,
});
/** The market-moving result after trade i: SMA and EMA over the last 3 trades (window first to last, end exclusive). */
const moving = (i: number) =>
  windowOf(
    'market-moving',
    'CBA',
    startMs + (i - 2) * 1000,
    startMs + i * 1000 + 1,
    { sma: 100 + i / 10, ema: 101 + i / 10 },
    3,
  );

let seeded: Seeded;
let app: FastifyInstance;
let browser: BrowserContext;
let url: string;

before(async () => {
  seeded = await seed({
    readings: [
      ...Array.from({ length: 12 }, (_, i) => reading(i, 40 + i)),
      ...Array.from({ length: 6 }, (_, i) => price(i)),
    ],
    windows: [2, 3, 4, 5].map((i) => ({ feed: 'market' as const, aggregate: moving(i) })),
  });
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
    series: Record<string, (number | null)[]>;
  };
  const api = await fetch(
    `${url}/v1/instruments/PZ-LIVE/readings?from=${startMs}&to=${startMs + 3_600_000}`,
    {
      headers: { 'x-api-key': READ_KEY },
    },
  ).then((r) => r.json() as Promise<{ items: { timeMs: number; value: number }[] }>);
  assert.equal(api.items.length, 15);
  assert.deepEqual(
    drawn.series.value,
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

interface Drawn {
  times: number[];
  series: Record<string, (number | null)[]>;
}

test('a symbol is drawn with its moving averages, live ones included, equal to the API; alerts show', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}/live?feed=market&key=CBA&api_key=${READ_KEY}`);
  await page.waitForFunction("document.getElementById('status')?.textContent?.includes('live')", null, {
    timeout: 20_000,
  });
  const next = price(6);
  await publishUpdate(seeded.namespace, {
    feed: 'market',
    key: 'CBA',
    field: LatestField.reading,
    value: next,
  });
  await publishUpdate(seeded.namespace, {
    feed: 'market',
    key: 'CBA',
    field: LatestField.window('market-moving'),
    value: moving(6),
  });
  await seeded.add({ readings: [next], windows: [{ feed: 'market', aggregate: moving(6) }] });
  await page.waitForFunction('window.tideline.updates() >= 2', null, { timeout: 10_000 });

  const drawn = (await page.evaluate('window.tideline.drawn()')) as Drawn;
  const headers = { 'x-api-key': READ_KEY };
  const range = `from=${startMs}&to=${startMs + 3_600_000}`;
  const prices = (await (await fetch(`${url}/v1/symbols/CBA/readings?${range}`, { headers })).json()) as {
    items: { timeMs: number; value: number }[];
  };
  const averages = (await (
    await fetch(`${url}/v1/symbols/CBA/moving-averages?${range}`, { headers })
  ).json()) as {
    items: { timeMs: number; sma: number; ema: number }[];
  };
  assert.deepEqual(
    drawn.times.map((t) => Math.round(t * 1000)),
    prices.items.map((i) => i.timeMs),
  );
  assert.deepEqual(
    drawn.series.price,
    prices.items.map((i) => i.value),
  );
  const smaAt = new Map(averages.items.map((i) => [i.timeMs, i.sma]));
  const emaAt = new Map(averages.items.map((i) => [i.timeMs, i.ema]));
  assert.equal(averages.items.length, 5);
  assert.deepEqual(
    drawn.series.SMA,
    prices.items.map((i) => smaAt.get(i.timeMs) ?? null),
  );
  assert.deepEqual(
    drawn.series.EMA,
    prices.items.map((i) => emaAt.get(i.timeMs) ?? null),
  );

  // An instrument's alert, published as the processor does, is shown beside its levels.
  const geotech = await browser.newPage();
  await geotech.goto(`${url}/live?feed=geotech&key=PZ-LIVE&api_key=${READ_KEY}`);
  await geotech.waitForFunction("document.getElementById('status')?.textContent?.includes('live')", null, {
    timeout: 20_000,
  });
  const alarm = alertOf('PZ-LIVE', 'alarm', startMs + 130_000, 83.25);
  await publishUpdate(seeded.namespace, {
    feed: 'geotech',
    key: 'PZ-LIVE',
    field: LatestField.alert,
    value: alarm,
  });
  await geotech.waitForFunction("document.getElementById('levels')?.dataset.alert === 'alarm'", null, {
    timeout: 10_000,
  });
  assert.match((await geotech.textContent('#levels')) ?? '', /alarm: PZ-LIVE alarm/);
  await mkdir(outputDir, { recursive: true });
  await page.screenshot({ path: new URL('live-view-market.png', outputDir).pathname, fullPage: true });
});
