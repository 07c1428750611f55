// Kibana cannot run here, so its saved objects (infra/kibana/saved-objects.ndjson) are checked against
// the mapping the real sink creates in the real Elasticsearch: every data view's time field and every
// field a visualization or saved search uses exists there, with a type the aggregation accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHealthRecords, generateProcessedOutput, produceFixture } from '@tideline/sink-runtime';
import { countDocs, countOf, isolation, kafka, startSink, waitFor } from './harness.ts';

const ndjsonPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../infra/kibana/saved-objects.ndjson',
);

interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
}

const numeric = ['double', 'float', 'long', 'integer', 'short', 'byte', 'scaled_float', 'half_float'];
/** Elasticsearch field types each aggregation of Kibana's aggregation-based visualizations accepts. */
const accepts: Record<string, readonly string[]> = {
  avg: numeric,
  sum: numeric,
  min: [...numeric, 'date'],
  max: [...numeric, 'date'],
  date_histogram: ['date', 'date_nanos'],
  terms: ['keyword', 'boolean', 'ip', ...numeric],
  top_hits: ['keyword', 'boolean', 'date', ...numeric],
};

test('every field the Kibana saved objects use exists in the sink’s real mapping with a compatible type', async (t) => {
  const iso = isolation();
  const sink = await startSink({
    SINK_ES_TOPIC_NAMESPACE: iso.namespace,
    SINK_ES_INDEX_PREFIX: iso.prefix,
    SINK_ES_GROUP_ID: iso.groupId,
  });
  t.after(async () => {
    await sink.close();
    await iso.cleanup();
  });
  const startMs = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
  await produceFixture(kafka, [
    ...generateProcessedOutput({ namer: iso.namer, startMs, secondsPerKey: 12, symbols: ['BHP'] }),
    ...generateHealthRecords(iso.namer, startMs),
  ]);
  await waitFor(
    'a document in every view',
    () => countDocs(sink.client, iso.prefix),
    (c) => Object.values(c).every((n) => n > 0),
  );
  await waitFor(
    'a sink metrics document',
    () => countOf(sink.client, `${iso.prefix}-sinkmetrics`),
    (n) => n > 0,
  );

  const objects = (await readFile(ndjsonPath, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SavedObject);
  const fieldTypes = new Map<string, Map<string, string[]>>();
  for (const view of objects.filter((o) => o.type === 'index-pattern')) {
    const title = (view.attributes.title as string).replaceAll('tideline-', `${iso.prefix}-`);
    const caps = await sink.client.fieldCaps({ index: title, fields: '*' });
    const types = new Map<string, string[]>();
    for (const [field, byType] of Object.entries(caps.fields)) {
      types.set(
        field,
        Object.keys(byType).filter((type) => !type.startsWith('_')),
      );
    }
    fieldTypes.set(view.id, types);
    const timeField = view.attributes.timeFieldName as string;
    assert.deepEqual(types.get(timeField), ['date'], `${view.id}: time field ${timeField}`);
  }

  let checked = 0;
  for (const object of objects.filter((o) => o.type === 'visualization' || o.type === 'search')) {
    const ref = object.references.find((r) => r.type === 'index-pattern');
    const types = fieldTypes.get(ref?.id ?? '');
    assert.ok(types, `${object.id}: data view ${ref?.id}`);
    const uses: { field: string; agg: string }[] = [];
    if (object.type === 'visualization') {
      const vis = JSON.parse(object.attributes.visState as string) as {
        aggs: { type: string; params: { field?: string; sortField?: string } }[];
      };
      for (const agg of vis.aggs) {
        if (agg.params.field) uses.push({ field: agg.params.field, agg: agg.type });
        if (agg.params.sortField) uses.push({ field: agg.params.sortField, agg: 'max' });
      }
    } else {
      for (const column of object.attributes.columns as string[]) uses.push({ field: column, agg: 'column' });
    }
    for (const { field, agg } of uses) {
      const found = types.get(field);
      assert.ok(found && found.length > 0, `${object.id}: field ${field} is not in the mapping`);
      assert.equal(found.length, 1, `${object.id}: field ${field} has conflicting types ${found}`);
      if (agg !== 'column') {
        assert.ok(accepts[agg], `${object.id}: aggregation ${agg} has no rule here`);
        assert.ok(
          accepts[agg]!.includes(found[0]!),
          `${object.id}: ${agg} over ${field} of type ${found[0]}`,
        );
      }
      checked += 1;
    }
  }
  assert.ok(checked >= 40, `checked ${checked} field uses`);
});
