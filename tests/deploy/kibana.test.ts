// Kibana cannot run on these machines: its saved objects are checked here (the committed NDJSON is what
// the generator renders; every reference resolves inside the file) and the import script is driven
// against a loopback stand-in for Kibana's HTTP API. The fields each object uses are checked against
// the real Elasticsearch mapping in services/sink-elasticsearch/test/integration/kibana-fields.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ndjsonPath } from '../../infra/kibana/generate.ts';
import { importSavedObjects } from '../../infra/kibana/import-saved-objects.ts';
import { renderNdjson, type SavedObject } from '../../infra/kibana/saved-objects.ts';

async function committed(): Promise<SavedObject[]> {
  return (await readFile(ndjsonPath, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SavedObject);
}

test('the committed saved-objects.ndjson is what infra/kibana/saved-objects.ts renders', async () => {
  assert.equal(await readFile(ndjsonPath, 'utf8'), renderNdjson(), 'stale: node infra/kibana/generate.ts');
});

test('every reference in the saved objects resolves to an object of the file, and every panel to a reference', async () => {
  const objects = await committed();
  const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
  assert.equal(ids.size, objects.length, 'ids are unique per type');
  for (const object of objects) {
    for (const ref of object.references) {
      assert.ok(ids.has(`${ref.type}:${ref.id}`), `${object.id} refers to missing ${ref.type}:${ref.id}`);
    }
    const meta = (object.attributes.kibanaSavedObjectMeta as { searchSourceJSON?: string } | undefined)
      ?.searchSourceJSON;
    const indexRefName = meta ? (JSON.parse(meta) as { indexRefName?: string }).indexRefName : undefined;
    if (indexRefName) {
      assert.ok(
        object.references.some((r) => r.name === indexRefName && r.type === 'index-pattern'),
        `${object.id}: ${indexRefName}`,
      );
    }
    if (object.type === 'dashboard') {
      const panels = JSON.parse(object.attributes.panelsJSON as string) as { panelRefName: string }[];
      assert.ok(panels.length > 0);
      for (const panel of panels) {
        assert.ok(
          object.references.some((r) => r.name === panel.panelRefName),
          `${object.id}: ${panel.panelRefName}`,
        );
      }
    }
  }
  const dashboards = objects
    .filter((o) => o.type === 'dashboard')
    .map((o) => o.id)
    .sort();
  assert.deepEqual(dashboards, ['tideline-geotech', 'tideline-market', 'tideline-pipeline-health']);
});

test('the import waits for Kibana to be available, then posts the NDJSON with overwrite and the xsrf header', async (t) => {
  let statusCalls = 0;
  let imported: { url: string; xsrf: string | undefined; body: string } | undefined;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/api/status') {
        statusCalls += 1;
        const level = statusCalls < 3 ? 'unavailable' : 'available';
        response.writeHead(statusCalls < 2 ? 503 : 200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: { overall: { level } } }));
        return;
      }
      imported = { url: request.url ?? '', xsrf: request.headers['kbn-xsrf'] as string | undefined, body };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success: true, successCount: 24 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const result = await importSavedObjects({
    kibanaUrl: `http://127.0.0.1:${port}/`,
    ndjson: renderNdjson(),
    indexPrefix: 'acme',
    attempts: 5,
    delayMs: 10,
  });
  assert.deepEqual(result, { successCount: 24, errors: [] });
  assert.equal(statusCalls, 3);
  assert.equal(imported?.url, '/api/saved_objects/_import?overwrite=true');
  assert.ok(imported?.xsrf);
  assert.match(imported!.body, /filename="saved-objects.ndjson"/);
  assert.match(imported!.body, /"title":"acme-readings,acme-windows"/);
  assert.doesNotMatch(imported!.body, /"title":"tideline-/);
});
