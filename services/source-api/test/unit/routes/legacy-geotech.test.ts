import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { LegacyGeotechEnvelopeSchema, LegacyGeotechRoutes } from '@tideline/contracts';
import { NOW_MS, startApp } from '../helpers.ts';

const sample = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/api_sample_water_standpipe_head.json'), 'utf8'),
) as { items: Record<string, unknown>[] } & Record<string, unknown>;
const envelope = TypeCompiler.Compile(LegacyGeotechEnvelopeSchema);

/** Keys in order with the JSON type of each value: what "the same envelope" means. */
function shapeOf(value: Record<string, unknown>): [string, string][] {
  return Object.entries(value).map(([key, v]) => [key, Array.isArray(v) ? 'array' : typeof v]);
}

test('GET /params/water_standpipe answers the original envelope: same keys, order and types as the seed sample', async () => {
  const t = await startApp();
  const response = await t.http
    .get('/params/water_standpipe')
    .expect(200)
    .expect('content-type', /application\/json/);
  const body = response.body as typeof sample;
  assert.deepEqual(shapeOf(body), shapeOf(sample));
  assert.deepEqual(shapeOf(body.items[0] ?? {}), shapeOf(sample.items[0] ?? {}));
  assert.equal(body.units, 'water level (m)');
  assert.equal(body.timezone, 'UTC');
  assert.equal(body.instruments, body.items.length);
  for (const item of body.items) {
    assert.deepEqual(shapeOf(item), shapeOf(sample.items[0] ?? {}));
    assert.equal(item.instrument, 'water_standpipe');
    assert.equal(item.timestamp, new Date(NOW_MS).toISOString());
    assert.ok(Number.isInteger(item.northing) && Number.isInteger(item.easting));
  }
  assert.deepEqual([...envelope.Errors(body)], []);
  await t.close();
});

test('every original route answers its type and units, 50 to 149 boreholes each, ids unique across types', async () => {
  const t = await startApp();
  const ids = new Set<string>();
  let total = 0;
  for (const [type, { path, units }] of Object.entries(LegacyGeotechRoutes)) {
    const body = (await t.http.get(path).expect(200)).body as typeof sample;
    assert.ok(envelope.Check(body), path);
    assert.equal(body.units, units);
    assert.ok(body.items.length >= 50 && body.items.length <= 149, `${path}: ${body.items.length}`);
    for (const item of body.items) {
      assert.equal(item.instrument, type);
      assert.match(String(item.borehole_number), /^BH-[0-9]+$/);
      ids.add(String(item.borehole_number));
    }
    total += body.items.length;
  }
  assert.equal(ids.size, total);
  await t.close();
});

test('readings stay within the original ranges: water level surface-10..+2 m, 20..200 kPa, -30..30 mm', async () => {
  const t = await startApp();
  for (let hour = 0; hour < 48; hour += 3) {
    t.clock.nowMs = NOW_MS + hour * 3_600_000;
    const water = (await t.http.get('/params/water_standpipe').expect(200)).body as typeof sample;
    for (const item of water.items) {
      const depth = Number(item.reading) - Number(item.surface_level);
      assert.ok(depth >= -10 && depth <= 2, `water ${depth}`);
      assert.ok(Number(item.surface_level) >= 75 && Number(item.surface_level) <= 120);
      assert.ok(Number(item.northing) >= 5_810_000 && Number(item.northing) <= 5_815_999);
      assert.ok(Number(item.easting) >= 316_045 && Number(item.easting) <= 324_999);
    }
    const pressure = (await t.http.get('/params/pore_pressure').expect(200)).body as typeof sample;
    for (const item of pressure.items) assert.ok(Number(item.reading) >= 20 && Number(item.reading) <= 200);
    for (const path of ['/params/settlement/x', '/params/settlement/y', '/params/settlement/z']) {
      const body = (await t.http.get(path).expect(200)).body as typeof sample;
      for (const item of body.items)
        assert.ok(Math.abs(Number(item.reading)) <= 30, `${path} ${item.reading}`);
    }
  }
  await t.close();
});

test('the same seed and clock give the same snapshot; another seed gives other instruments', async () => {
  const a = await startApp({ SEED: '7' });
  const b = await startApp({ SEED: '7' });
  const c = await startApp({ SEED: '8' });
  const bodyA = (await a.http.get('/params/pore_pressure')).body as typeof sample;
  assert.deepEqual((await b.http.get('/params/pore_pressure')).body, bodyA);
  const bodyC = (await c.http.get('/params/pore_pressure')).body as typeof sample;
  assert.notDeepEqual(
    bodyC.items.map((i) => i.borehole_number),
    bodyA.items.map((i) => i.borehole_number),
  );
  await Promise.all([a.close(), b.close(), c.close()]);
});

test('locations and surface levels are fixed per borehole while readings move with time', async () => {
  const t = await startApp();
  const before = (await t.http.get('/params/water_standpipe')).body as typeof sample;
  t.clock.nowMs += 3_600_000;
  const after = (await t.http.get('/params/water_standpipe')).body as typeof sample;
  const fixed = (b: typeof sample) => b.items.map(({ reading: _r, timestamp: _t, ...rest }) => rest);
  assert.deepEqual(fixed(after), fixed(before));
  const moved = after.items.filter((item, i) => item.reading !== before.items[i]?.reading).length;
  assert.ok(moved > after.items.length / 2, `only ${moved} readings changed in an hour`);
  await t.close();
});
