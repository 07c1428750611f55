import { parseTopicName, windowAggregateIdFor } from '@tideline/contracts';
import type { FixtureMessage } from '@tideline/sink-runtime';

/**
 * What the input should leave in Elasticsearch: one document per identity (readings by version and
 * event, windows by version and window id, alerts by version and alert id), the later firing winning.
 * Values as the fixture holds them, to compare with `_source` field by field.
 */
export function expectedDocs(messages: readonly FixtureMessage[], namespace: string) {
  const readings = new Map<string, Record<string, unknown>>();
  const windows = new Map<string, Record<string, unknown>>();
  const alerts = new Map<string, Record<string, unknown>>();
  for (const m of messages) {
    const spec = parseTopicName(m.topic.slice(namespace.length + 1));
    const v = spec && 'version' in spec && spec.version ? spec.version : 1;
    const r = m.record;
    if (r.kind === 'reading') {
      const x = r.value;
      readings.set(`${v}|${x.feed}|${x.key}|${x.eventTimeMs}|${x.eventId}`, {
        '@timestamp': new Date(x.eventTimeMs).toISOString(),
        jobVersion: v,
        feed: x.feed,
        key: x.key,
        measure: x.measure,
        value: x.value,
        unit: x.unit,
        source: x.source,
        eventId: x.eventId,
        ...(x.attributes ? { attributes: x.attributes } : {}),
      });
    } else if (r.kind === 'window') {
      const w = r.value;
      windows.set(`v${v}-${windowAggregateIdFor(w)}`, {
        '@timestamp': new Date(w.windowStartMs).toISOString(),
        windowEnd: new Date(w.windowEndMs).toISOString(),
        job: w.job,
        jobVersion: v,
        key: w.key,
        count: w.count,
        firing: w.firing,
        aggregates: w.aggregates,
      });
    } else if (r.kind === 'alert') {
      const a = r.value;
      alerts.set(`v${v}-${a.alertId}`, {
        '@timestamp': new Date(a.eventTimeMs).toISOString(),
        alertId: a.alertId,
        jobVersion: v,
        feed: a.feed,
        key: a.key,
        level: a.level,
        value: a.value,
        thresholds: a.thresholds,
        message: a.message,
      });
    }
  }
  return { readings, windows, alerts };
}

/** The fields of `doc` named in `expected` (the sink adds timing fields the input cannot know). */
export function pick(
  doc: Record<string, unknown>,
  expected: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, doc[k]]));
}
