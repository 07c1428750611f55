import { Feed, SCHEMA_VERSION, type RawEventDraft } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import { isRecord, rawPayloadOf, tryParseJson, type Normalized } from './normalized.ts';

/**
 * Reads an edge gateway's minibatch of temperature readings:
 * `[{ topic, qos, broker_publish_time: "YYYY-MM-DD HH:MM:SS" (UTC), broker_name, temperature, node_name }]`,
 * as an array, as JSON text, or encoded twice (a JSON string whose content is the JSON array), which
 * is how the original project's batches reached Kafka.
 */
export function readSensorBatch(payload: unknown, source: string): Normalized {
  let batch = payload;
  // Unwrap up to two levels of JSON-in-a-string.
  for (let depth = 0; depth < 3 && typeof batch === 'string'; depth++) {
    const parsed = tryParseJson(batch);
    if (!parsed.ok) {
      return {
        drafts: [],
        rejected: [
          { reasonCode: IngestReason.malformedJson, reason: parsed.error, rawPayload: rawPayloadOf(payload) },
        ],
      };
    }
    batch = parsed.value;
  }
  if (!Array.isArray(batch)) {
    return {
      drafts: [],
      rejected: [
        {
          reasonCode: IngestReason.badEnvelope,
          reason: 'expected an array of readings',
          rawPayload: rawPayloadOf(payload),
        },
      ],
    };
  }
  const out: Normalized = { drafts: [], rejected: [] };
  for (const item of batch as unknown[]) {
    const eventTimeMs = isRecord(item) ? parseBrokerTime(item.broker_publish_time) : undefined;
    if (!isRecord(item) || eventTimeMs === undefined) {
      out.rejected.push({
        reasonCode: isRecord(item) ? IngestReason.badTimestamp : IngestReason.badEnvelope,
        reason: isRecord(item)
          ? `broker_publish_time ${JSON.stringify(item.broker_publish_time)} is not "YYYY-MM-DD HH:MM:SS"`
          : 'reading is not an object',
        rawPayload: rawPayloadOf(item),
      });
      continue;
    }
    const draft = {
      schemaVersion: SCHEMA_VERSION,
      feed: Feed.sensors,
      nodeId: item.node_name as string,
      temperatureC: item.temperature as number,
      eventTimeMs,
      source,
    } satisfies RawEventDraft;
    out.drafts.push(draft);
  }
  return out;
}

function parseBrokerTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
