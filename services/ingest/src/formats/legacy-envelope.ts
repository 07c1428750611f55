import { Feed, SCHEMA_VERSION, type RawEventDraft, type InstrumentType } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import { isRecord, rawPayloadOf, tryParseJson, type Normalized } from './normalized.ts';

/**
 * Reads the original geotechnical API's envelope `{ instruments, units, timezone, items[] }`, as an
 * object, as JSON text, or as the original producer's Kafka value (the envelope serialised by Python's
 * json.dumps, which is plain JSON). Each item becomes a GeotechReading draft; the envelope's `units`
 * is each reading's unit. Items are not checked here: the contracts do that, field by field.
 */
export function readLegacyEnvelope(payload: unknown, source: string): Normalized {
  let envelope = payload;
  if (typeof payload === 'string') {
    const parsed = tryParseJson(payload);
    if (!parsed.ok) return rejectAll(IngestReason.malformedJson, parsed.error, payload);
    envelope = parsed.value;
  }
  if (!isRecord(envelope) || !Array.isArray(envelope.items)) {
    return rejectAll(IngestReason.badEnvelope, 'expected an object with an items array', payload);
  }
  const units = typeof envelope.units === 'string' ? envelope.units : undefined;
  const out: Normalized = { drafts: [], rejected: [] };
  for (const item of envelope.items as unknown[]) {
    if (!isRecord(item)) {
      out.rejected.push({
        reasonCode: IngestReason.badEnvelope,
        reason: 'item is not an object',
        rawPayload: rawPayloadOf(item),
      });
      continue;
    }
    const eventTimeMs = parseIsoMs(item.timestamp);
    if (eventTimeMs === undefined) {
      out.rejected.push({
        reasonCode: IngestReason.badTimestamp,
        reason: `timestamp ${JSON.stringify(item.timestamp)} is not an ISO-8601 time`,
        rawPayload: rawPayloadOf(item),
      });
      continue;
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
    out.drafts.push(draft);
  }
  return out;
}

function parseIsoMs(value: unknown): number | undefined {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  ) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function rejectAll(
  reasonCode: Normalized['rejected'][number]['reasonCode'],
  reason: string,
  payload: unknown,
): Normalized {
  return { drafts: [], rejected: [{ reasonCode, reason, rawPayload: rawPayloadOf(payload) }] };
}
