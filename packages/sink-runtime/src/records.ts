import {
  type Alert,
  type CleanReading,
  type DeadLetter,
  type Feed,
  type LateRecord,
  type TopicNamer,
  type TopicSpec,
  type WindowAggregate,
  jobVersionOf,
  ProcessedKind,
  RecordHeaders,
  validateEvent,
} from '@tideline/contracts';
import type { KafkaMessage } from 'kafkajs';
import { SinkReason } from './errors.ts';

/** What a sink consumes, one value per kind; `window` and `reading` share the processed topics. */
export const SinkRecordKind = {
  reading: 'reading',
  window: 'window',
  alert: 'alert',
  late: 'late',
  deadLetter: 'deadLetter',
} as const;
export type SinkRecordKind = (typeof SinkRecordKind)[keyof typeof SinkRecordKind];

/** Where a record came from and what the topic says about it. */
export interface RecordMeta {
  topic: string;
  partition: number;
  offset: string;
  /** The topic's output version (`.v<n>`, 1 when absent): the `job_version` column. */
  jobVersion: number;
  /** The feed the topic belongs to (processed and alert topics); window aggregates carry no feed. */
  feed: Feed | undefined;
  /** `tl-source-append-ms`: when the raw record this output came from was appended, if known. */
  sourceAppendMs: number | undefined;
}

export type SinkRecord =
  | { kind: 'reading'; value: CleanReading; meta: RecordMeta }
  | { kind: 'window'; value: WindowAggregate; meta: RecordMeta }
  | { kind: 'alert'; value: Alert; meta: RecordMeta }
  | { kind: 'late'; value: LateRecord; meta: RecordMeta }
  | { kind: 'deadLetter'; value: DeadLetter; meta: RecordMeta };

/** A record that cannot be decoded: dead-lettered with the code and reason. */
export interface Undecodable {
  meta: RecordMeta;
  code: string;
  reason: string;
  rawPayload: string;
}

/**
 * Reads one Kafka record of a topic the sink subscribed to: the topic decides the kind (the `tl-kind`
 * header within processed topics), the contracts decide validity. Never throws.
 */
export function decodeRecord(
  namer: TopicNamer,
  topic: string,
  partition: number,
  message: KafkaMessage,
): SinkRecord | Undecodable {
  const spec = parsedTopic(namer, topic);
  const appendHeader = headerText(message, RecordHeaders.sourceAppendMs);
  const appendMs = appendHeader === undefined ? Number.NaN : Number(appendHeader);
  const meta: RecordMeta = {
    topic,
    partition,
    offset: message.offset,
    jobVersion: spec ? jobVersionOf(spec) : 1,
    feed: spec && (spec.kind === 'processed' || spec.kind === 'alerts') ? spec.feed : undefined,
    sourceAppendMs: Number.isFinite(appendMs) ? appendMs : undefined,
  };
  const rawPayload = message.value?.toString('utf8') ?? '';
  const fail = (code: string, reason: string): Undecodable => ({ meta, code, reason, rawPayload });
  let kind: SinkRecordKind;
  switch (spec?.kind) {
    case 'processed': {
      const header = headerText(message, RecordHeaders.kind);
      if (header === ProcessedKind.reading) kind = SinkRecordKind.reading;
      else if (header === ProcessedKind.window) kind = SinkRecordKind.window;
      else return fail(SinkReason.unknownKind, `header ${RecordHeaders.kind} is ${JSON.stringify(header)}`);
      break;
    }
    case 'alerts':
      kind = SinkRecordKind.alert;
      break;
    case 'late':
      kind = SinkRecordKind.late;
      break;
    case 'dlq':
      kind = SinkRecordKind.deadLetter;
      break;
    default:
      return fail(SinkReason.unknownKind, `topic ${topic} is not one a sink reads`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawPayload);
  } catch (error) {
    return fail(SinkReason.malformedJson, error instanceof Error ? error.message : String(error));
  }
  const result = validateEvent(contractKind[kind], parsed);
  if (!result.ok) {
    return fail(SinkReason.schema, result.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; '));
  }
  return { kind, value: result.value, meta } as SinkRecord;
}

export function isUndecodable(value: SinkRecord | Undecodable): value is Undecodable {
  return 'code' in value;
}

const contractKind = {
  reading: 'cleanReading',
  window: 'windowAggregate',
  alert: 'alert',
  late: 'lateRecord',
  deadLetter: 'deadLetter',
} as const satisfies Record<SinkRecordKind, string>;

// Parsing a topic name per record cost more than the lookup: the names of a namespace are few.
const parsedTopics = new WeakMap<TopicNamer, Map<string, TopicSpec | undefined>>();

function parsedTopic(namer: TopicNamer, topic: string): TopicSpec | undefined {
  let cache = parsedTopics.get(namer);
  if (!cache) parsedTopics.set(namer, (cache = new Map()));
  if (!cache.has(topic)) cache.set(topic, namer.parseTopicName(topic));
  return cache.get(topic);
}

function headerText(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
