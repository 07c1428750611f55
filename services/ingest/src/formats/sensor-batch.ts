import { Feed, SCHEMA_VERSION, type RawEventDraft } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import { readJsonItems } from './json-items.ts';
import { unwrapJsonStrings } from './json-string-unwrap.ts';
import { isRecord, rawPayloadOf } from './normalized.ts';
import type { RecordSink } from './record-sink.ts';

/**
 * Reads an edge gateway's minibatch of temperature readings as a stream:
 * `[{ topic, qos, broker_publish_time: "YYYY-MM-DD HH:MM:SS" (UTC), broker_name, temperature, node_name }]`,
 * as a JSON array or encoded twice (a JSON string whose content is the array), which is how the
 * original project's batches reached Kafka.
 */
export async function readSensorBatch(
  chunks: AsyncIterable<Buffer>,
  source: string,
  sink: RecordSink,
): Promise<void> {
  await readJsonItems(unwrapJsonStrings(chunks, 2), sink, {
    root: 'array',
    onItem: (item) => readReading(item, source, sink),
  });
}

function readReading(item: unknown, source: string, sink: RecordSink): void {
  const eventTimeMs = isRecord(item) ? parseBrokerTime(item.broker_publish_time) : undefined;
  if (!isRecord(item) || eventTimeMs === undefined) {
    sink.reject({
      reasonCode: isRecord(item) ? IngestReason.badTimestamp : IngestReason.badEnvelope,
      reason: isRecord(item)
        ? `broker_publish_time ${JSON.stringify(item.broker_publish_time)} is not "YYYY-MM-DD HH:MM:SS"`
        : 'reading is not an object',
      rawPayload: rawPayloadOf(item),
    });
    return;
  }
  const draft = {
    schemaVersion: SCHEMA_VERSION,
    feed: Feed.sensors,
    nodeId: item.node_name as string,
    temperatureC: item.temperature as number,
    eventTimeMs,
    source,
  } satisfies RawEventDraft;
  sink.add(draft);
}

const BROKER_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function parseBrokerTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = BROKER_TIME.exec(value);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
