import { Feed, SCHEMA_VERSION, type RawEventDraft, type InstrumentType } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import { readJsonItems } from './json-items.ts';
import { unwrapJsonStrings } from './json-string-unwrap.ts';
import { isRecord, rawPayloadOf } from './normalized.ts';
import type { RecordSink } from './record-sink.ts';

/**
 * Reads the original geotechnical API's envelope `{ instruments, units, timezone, items[] }` as a
 * stream: the HTTP upload's body, or the original producer's Kafka value (the envelope serialised by
 * Python's json.dumps, which is plain JSON; a value encoded twice is unwrapped). Each item becomes a
 * GeotechReading draft; the envelope's `units` is each reading's unit. The original API writes
 * `units` before `items`; items that come before it wait for it. Items are not checked here: the
 * contracts do that, field by field.
 */
export async function readLegacyEnvelope(
  chunks: AsyncIterable<Buffer>,
  source: string,
  sink: RecordSink,
): Promise<void> {
  let units: string | undefined;
  let unitsSeen = false;
  const waiting: Record<string, unknown>[] = [];
  await readJsonItems(unwrapJsonStrings(chunks, 2), sink, {
    root: 'envelope',
    onUnits: (value) => {
      units = typeof value === 'string' ? value : undefined;
      unitsSeen = true;
      for (const item of waiting.splice(0)) readItem(item, units, source, sink);
    },
    onItem: (item) => {
      if (!isRecord(item)) {
        sink.reject({
          reasonCode: IngestReason.badEnvelope,
          reason: 'item is not an object',
          rawPayload: rawPayloadOf(item),
        });
      } else if (unitsSeen) readItem(item, units, source, sink);
      else waiting.push(item);
    },
  });
  for (const item of waiting) readItem(item, units, source, sink);
}

/** One envelope item as a reading draft (the same for polled envelopes and uploads). */
export function readItem(
  item: Record<string, unknown>,
  units: string | undefined,
  source: string,
  sink: RecordSink,
): void {
  const eventTimeMs = parseIsoMs(item.timestamp);
  if (eventTimeMs === undefined) {
    sink.reject({
      reasonCode: IngestReason.badTimestamp,
      reason: `timestamp ${JSON.stringify(item.timestamp)} is not an ISO-8601 time`,
      rawPayload: rawPayloadOf(item),
    });
    return;
  }
  const draft = {
    schemaVersion: SCHEMA_VERSION,
    feed: Feed.geotech,
    instrumentId: item.borehole_number as string,
    instrumentType: item.instrument as InstrumentType,
    value: item.reading as number,
    unit: units as string,
    eventTimeMs,
    surfaceLevelM: item.surface_level as number,
    northing: item.northing as number,
    easting: item.easting as number,
    source,
  } satisfies RawEventDraft;
  sink.add(draft);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseIsoMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
