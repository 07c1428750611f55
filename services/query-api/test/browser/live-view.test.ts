import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import { READ_KEY, buildApp, geotechEvent, piezometer, tradeEvent } from '../support/harness.ts';
import { launchChromium } from '../support/chromium.ts';
import { seed, type Seeded } from '../support/seed.ts';

const outputDir = new URL('../output/', import.meta.url);
// Recent enough for the page's default span; the pipeline takes event times from the raw events.
const startMs = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
const reading = (i: number, value: number) => geotechEvent('PZ-LIVE', i, value, startMs);
const price = (i: number) => tradeEvent('CBA', i, 100 + (i % 3), startMs);

let seeded: Seeded;
let app: FastifyInstance;
let browser: BrowserContext;
let url: string;

before(async () => {
  seeded = await seed({
    events: [
      ...Array.from({ length: 12 }, (_, i) => reading(i, 40 + i)),
      ...Array.from({ length: 6 }, (_, i) => price(i)),
    ],
    instruments: [piezometer('PZ-LIVE', 50, 80)],
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

  // New raw readings: the processor publishes each one (and the alerts it raises) as it commits it.
  const live = [reading(12, 61.5), reading(13, 83.25), reading(14, 47)];
  for (const r of live) {
    await seeded.add([r]);
    await page.waitForFunction(drawnAt(r.eventTimeMs), null, { timeout: 10_000 });
  }
  assert.ok(
    ((await page.evaluate('window.tideline.updates()')) as number) >= live.length,
    'the points arrived live, not by reloading',
  );

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

/** A page function: the chart holds a point at `timeMs` (with a value in `series`, when given). */
function drawnAt(timeMs: number, series?: string): string {
  const at = `d.times.findIndex((t) => Math.round(t * 1000) === ${timeMs})`;
  const check = series === undefined ? 'i >= 0' : `i >= 0 && d.series[${JSON.stringify(series)}][i] !== null`;
  return `(() => { const d = window.tideline.drawn(); if (d === null) return false; const i = ${at}; return ${check}; })()`;
}

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
  await seeded.add([next]);
  await page.waitForFunction(drawnAt(next.eventTimeMs, 'SMA'), null, { timeout: 10_000 });

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
  // market-moving: the SMA of the last 20 trades, one result per trade.
  const traded = Array.from({ length: 7 }, (_, i) => price(i).price);
  assert.deepEqual(
    averages.items.map((i) => i.sma),
    traded.map((_, n) => traded.slice(0, n + 1).reduce((a, b) => a + b) / (n + 1)),
  );
  assert.deepEqual(
    drawn.series.SMA,
    prices.items.map((i) => smaAt.get(i.timeMs) ?? null),
  );
  assert.deepEqual(
    drawn.series.EMA,
    prices.items.map((i) => emaAt.get(i.timeMs) ?? null),
  );

  // An alert the processor raises from a new reading is shown beside the instrument's levels.
  const geotech = await browser.newPage();
  await geotech.goto(`${url}/live?feed=geotech&key=PZ-LIVE&api_key=${READ_KEY}`);
  await geotech.waitForFunction("document.getElementById('status')?.textContent?.includes('live')", null, {
    timeout: 20_000,
  });
  // PZ-LIVE is back below its levels (the first test ended at 47 kPa); 90 kPa is past its alarm level.
  await seeded.add([reading(15, 90)]);
  await geotech.waitForFunction("document.getElementById('levels')?.dataset.alert === 'alarm'", null, {
    timeout: 10_000,
  });
  assert.match((await geotech.textContent('#levels')) ?? '', /alarm: PZ-LIVE\b.*\b90\b/);
  const active = (await (await fetch(`${url}/v1/alerts/active`, { headers })).json()) as {
    items: { key: string; level: string; eventTimeMs: number }[];
  };
  assert.deepEqual(
    active.items.map((a) => [a.key, a.level, a.eventTimeMs]),
    [['PZ-LIVE', 'alarm', reading(15, 90).eventTimeMs]],
  );
  await mkdir(outputDir, { recursive: true });
  await page.screenshot({ path: new URL('live-view-market.png', outputDir).pathname, fullPage: true });
});
