import type { estypes } from '@elastic/elasticsearch';
import { View } from './views.ts';

/**
 * Explicit mappings, one per view. `dynamic: strict` at the top: a field the sink does not know is a
 * rejected document (dead-lettered), never a silently invented mapping. Open-ended maps (a reading's
 * attributes, a window's aggregates) map their known keys and keep the others in `_source` only.
 */
const keyword = { type: 'keyword' } as const;
const double = { type: 'double' } as const;
const date = { type: 'date' } as const;
const integer = { type: 'integer' } as const;
const long = { type: 'long' } as const;

/** When the sink indexed the document, and how long after the raw record's append (pipeline latency). */
const timing = { indexedAt: date, latencyMs: long } as const;

export const Mappings: Record<View, estypes.MappingTypeMapping> = {
  [View.readings]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      jobVersion: integer,
      feed: keyword,
      key: keyword,
      measure: keyword,
      value: double,
      unit: keyword,
      source: keyword,
      eventId: keyword,
      attributes: {
        type: 'object',
        dynamic: false,
        properties: {
          northing: double,
          easting: double,
          surfaceLevelM: double,
          alertLevel: double,
          alarmLevel: double,
          levelDirection: keyword,
          side: keyword,
          quantity: double,
        },
      },
      ...timing,
    },
  },
  [View.windows]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      windowEnd: date,
      job: keyword,
      jobVersion: integer,
      feed: keyword,
      key: keyword,
      count: integer,
      firing: keyword,
      emittedAtWatermark: date,
      aggregates: {
        type: 'object',
        dynamic: false,
        properties: {
          avg: double,
          min: double,
          max: double,
          last: double,
          first: double,
          sum: double,
          stddev: double,
          sma: double,
          ema: double,
        },
      },
      ...timing,
    },
  },
  [View.alerts]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      alertId: keyword,
      jobVersion: integer,
      feed: keyword,
      key: keyword,
      level: keyword,
      value: double,
      thresholds: {
        type: 'object',
        dynamic: 'strict',
        properties: { alertLevel: double, alarmLevel: double, missingAfterMs: long },
      },
      message: { type: 'text' },
      ...timing,
    },
  },
  [View.late]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      watermark: date,
      job: keyword,
      reason: keyword,
      key: keyword,
      topic: keyword,
      record: { type: 'object', enabled: false },
      ...timing,
    },
  },
  [View.deadLetters]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      stage: keyword,
      reasonCode: keyword,
      reason: { type: 'text' },
      source: keyword,
      topic: keyword,
      partition: integer,
      offset: keyword,
      // Kept for replay, never searched: no term-length limit, no index cost.
      rawPayload: { type: 'text', index: false },
      ...timing,
    },
  },
  [View.sinkMetrics]: {
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      sink: keyword,
      instance: keyword,
      written: long,
      deadLettered: long,
      expired: long,
      retries: long,
      batches: long,
      lagRecords: long,
      recordsPerSecond: double,
      lastBatchMs: double,
      storeAvailable: { type: 'boolean' },
      topics: integer,
    },
  },
};
