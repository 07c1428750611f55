import { hash } from 'node:crypto';
import { windowAggregateIdFor } from '@tideline/contracts';
import type { SinkRecord } from '@tideline/sink-runtime';
import { dailyIndex, View } from './views.ts';

/** One bulk `index` action: where, under which deterministic id, and the document. */
export interface IndexAction {
  index: string;
  id: string;
  view: View;
  /** The time the daily index is chosen by (event time, window start, ...). */
  timeMs: number;
  document: Record<string, unknown>;
  record: SinkRecord;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The document a record becomes. Ids are deterministic (job version plus the record's identity: event
 * id, window id (job, key, window bounds), alert id, or the content of a late record or dead letter), so a redelivered record overwrites its own document and a later firing of a window
 * replaces the earlier one.
 */
export function actionFor(prefix: string, record: SinkRecord, indexedAtMs: number): IndexAction {
  const v = record.meta.jobVersion;
  const timing = {
    indexedAt: iso(indexedAtMs),
    ...(record.meta.sourceAppendMs === undefined
      ? {}
      : { latencyMs: indexedAtMs - record.meta.sourceAppendMs }),
  };
  const at = (view: View, timeMs: number, id: string, document: Record<string, unknown>): IndexAction => ({
    index: dailyIndex(prefix, view, timeMs, v),
    id,
    view,
    timeMs,
    document: { ...document, ...timing },
    record,
  });
  switch (record.kind) {
    case 'reading': {
      const r = record.value;
      const id = `v${v}-${sha1([r.feed, r.key, r.eventTimeMs, r.eventId])}`;
      return at(View.readings, r.eventTimeMs, id, {
        '@timestamp': iso(r.eventTimeMs),
        jobVersion: v,
        feed: r.feed,
        key: r.key,
        measure: r.measure,
        value: r.value,
        unit: r.unit,
        source: r.source,
        eventId: r.eventId,
        ...(r.attributes === undefined ? {} : { attributes: r.attributes }),
      });
    }
    case 'window': {
      const w = record.value;
      return at(View.windows, w.windowStartMs, `v${v}-${windowAggregateIdFor(w)}`, {
        '@timestamp': iso(w.windowStartMs),
        windowEnd: iso(w.windowEndMs),
        job: w.job,
        jobVersion: v,
        ...(record.meta.feed === undefined ? {} : { feed: record.meta.feed }),
        key: w.key,
        count: w.count,
        firing: w.firing,
        emittedAtWatermark: iso(Math.max(0, w.emittedAtWatermarkMs)),
        aggregates: w.aggregates,
      });
    }
    case 'alert': {
      const a = record.value;
      return at(View.alerts, a.eventTimeMs, `v${v}-${a.alertId}`, {
        '@timestamp': iso(a.eventTimeMs),
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
    case 'late': {
      const l = record.value;
      return at(
        View.late,
        l.watermarkMs,
        sha1([l.job, l.key, l.eventTimeMs, l.reason, JSON.stringify(l.record)]),
        {
          '@timestamp': iso(l.eventTimeMs),
          watermark: iso(Math.max(0, l.watermarkMs)),
          job: l.job,
          reason: l.reason,
          key: l.key,
          topic: record.meta.topic,
          record: typeof l.record === 'object' && l.record !== null ? l.record : { value: l.record },
        },
      );
    }
    case 'deadLetter': {
      const d = record.value;
      // Not receivedAtMs: a stage that retries dead-letters the same record again at another time.
      const id = sha1([
        d.stage,
        d.source,
        d.topic ?? '',
        d.partition ?? -1,
        d.offset ?? '',
        d.reasonCode,
        d.rawPayload,
      ]);
      return at(View.deadLetters, d.receivedAtMs, id, {
        '@timestamp': iso(d.receivedAtMs),
        stage: d.stage,
        reasonCode: d.reasonCode,
        reason: d.reason,
        source: d.source,
        ...(d.topic === undefined ? {} : { topic: d.topic }),
        ...(d.partition === undefined ? {} : { partition: d.partition }),
        ...(d.offset === undefined ? {} : { offset: d.offset }),
        rawPayload: d.rawPayload,
      });
    }
  }
}

function sha1(fields: readonly (string | number)[]): string {
  // One-shot hash: no Hash object per document.
  return hash('sha1', JSON.stringify(fields), 'hex');
}
