import type { RawEvent, RawEventDraft } from './events/raw-event.ts';
import { ContractError, ContractErrorCodes } from './errors.ts';
import { DeadLetterStage, Feed, InstrumentType, valuesOf } from './values.ts';

/** The kinds of topic; the first segment of every topic name. */
export const TopicKind = {
  raw: 'raw',
  processed: 'processed',
  alerts: 'alerts',
  late: 'late',
  dlq: 'dlq',
  changelog: 'changelog',
} as const;
export type TopicKind = (typeof TopicKind)[keyof typeof TopicKind];

/**
 * Which topic. Processed and alert topics take an optional output `version` for Kappa reprocessing:
 * version 1 (the default) has no suffix, version n > 1 appends `.v<n>`. Late topics are versioned
 * through the job name, which should carry its version.
 */
export type TopicSpec =
  | { kind: 'raw'; feed: 'geotech'; instrumentType: InstrumentType }
  | { kind: 'raw'; feed: 'market' }
  | { kind: 'raw'; feed: 'sensors' }
  | { kind: 'processed'; feed: 'geotech'; instrumentType: InstrumentType; version?: number }
  | { kind: 'processed'; feed: 'market'; symbol: string; version?: number }
  | { kind: 'processed'; feed: 'sensors'; version?: number }
  | { kind: 'alerts'; feed: Feed; version?: number }
  | { kind: 'late'; job: string }
  | { kind: 'dlq'; stage: DeadLetterStage }
  | { kind: 'changelog'; job: string };

type VersionedSpec = Extract<TopicSpec, { kind: 'processed' | 'alerts' }>;

/** Kafka's limit on a topic name's length. */
export const MAX_TOPIC_NAME_LENGTH = 249;

const MARKET_TRADES = 'trades';
const SENSORS_TEMPERATURE = 'temperature';
const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
const instrumentTypes: readonly string[] = valuesOf(InstrumentType);
const feeds: readonly string[] = valuesOf(Feed);
const stages: readonly string[] = valuesOf(DeadLetterStage);

/** The one function that names a topic; no service spells a topic name itself. */
export function topicName(spec: TopicSpec): string {
  return checkLength(nameOf(spec));
}

/** A namespace: letters, digits, `_` and `-`; it becomes the topic name's first segment. */
export const NAMESPACE_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Topic names within a namespace. Every topic of a namespaced pipeline is `<namespace>.<name>`, so a
 * test run (or a second pipeline on a shared cluster) never reads or writes the topics of another.
 * The empty namespace is the plain names of `topicName`: what `npm run up` and deployments use.
 */
export interface TopicNamer {
  readonly namespace: string;
  topicName(spec: TopicSpec): string;
  rawTopicFor(event: RawEvent | RawEventDraft): string;
  processedTopicFor(event: RawEvent | RawEventDraft, version?: number): string;
  rawTopics(): string[];
  processedTopicPattern(options?: { feed?: Feed; version?: number }): RegExp;
  parseTopicName(name: string): TopicSpec | undefined;
}

/** The topic names of one namespace ('' for the plain names). Throws on an illegal namespace. */
export function topicNamer(namespace = ''): TopicNamer {
  if (namespace !== '' && !NAMESPACE_PATTERN.test(namespace)) {
    return invalid(`namespace ${JSON.stringify(namespace)} must match ${NAMESPACE_PATTERN.source}`);
  }
  const prefix = namespace === '' ? '' : `${namespace}.`;
  const qualify = (name: string): string => checkLength(prefix + name);
  return Object.freeze({
    namespace,
    topicName: (spec: TopicSpec) => qualify(nameOf(spec)),
    rawTopicFor: (event: RawEvent | RawEventDraft) => qualify(rawTopicFor(event)),
    processedTopicFor: (event: RawEvent | RawEventDraft, version?: number) =>
      qualify(processedTopicFor(event, version)),
    rawTopics: () => rawTopics().map(qualify),
    processedTopicPattern: (options: { feed?: Feed; version?: number } = {}) =>
      new RegExp(`^${escape(prefix)}${processedTopicPattern(options).source.slice(1)}`),
    parseTopicName: (name: string) =>
      name.startsWith(prefix) ? parseTopicName(name.slice(prefix.length)) : undefined,
  });
}

function nameOf(spec: TopicSpec): string {
  switch (spec.kind) {
    case TopicKind.raw:
      switch (spec.feed) {
        case Feed.geotech:
          return `raw.geotech.${checkInstrumentType(spec.instrumentType)}`;
        case Feed.market:
          return `raw.market.${MARKET_TRADES}`;
        case Feed.sensors:
          return `raw.sensors.${SENSORS_TEMPERATURE}`;
        default:
          return invalid(`unknown feed ${JSON.stringify((spec as { feed: unknown }).feed)}`);
      }
    case TopicKind.processed:
      switch (spec.feed) {
        case Feed.geotech:
          return `processed.geotech.${checkInstrumentType(spec.instrumentType)}${versionSuffix(spec.version)}`;
        case Feed.market:
          return `processed.market.${sanitizeSymbol(spec.symbol)}${versionSuffix(spec.version)}`;
        case Feed.sensors:
          return `processed.sensors.${SENSORS_TEMPERATURE}${versionSuffix(spec.version)}`;
        default:
          return invalid(`unknown feed ${JSON.stringify((spec as { feed: unknown }).feed)}`);
      }
    case TopicKind.alerts:
      if (!feeds.includes(spec.feed)) return invalid(`unknown feed ${JSON.stringify(spec.feed)}`);
      return `alerts.${spec.feed}${versionSuffix(spec.version)}`;
    case TopicKind.late:
      if (typeof spec.job !== 'string' || !LEGAL_NAME.test(spec.job)) {
        return invalid(`job name ${JSON.stringify(spec.job)} must match ${LEGAL_NAME.source}`);
      }
      return `late.${spec.job}`;
    case TopicKind.changelog:
      if (typeof spec.job !== 'string' || !LEGAL_NAME.test(spec.job)) {
        return invalid(`job name ${JSON.stringify(spec.job)} must match ${LEGAL_NAME.source}`);
      }
      return `changelog.${spec.job}`;
    case TopicKind.dlq:
      if (!stages.includes(spec.stage))
        return invalid(`unknown dead-letter stage ${JSON.stringify(spec.stage)}`);
      return `dlq.${spec.stage}`;
    default:
      return invalid(`unknown topic kind ${JSON.stringify((spec as { kind: unknown }).kind)}`);
  }
}

/**
 * A symbol as it appears in a topic name: upper-cased, every character Kafka does not allow in a
 * topic name replaced by `_`. Symbols that differ only in illegal characters share a topic.
 */
export function sanitizeSymbol(symbol: string): string {
  const sanitized = String(symbol)
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9._-]/g, '_');
  if (sanitized === '' || /^\.+$/.test(sanitized))
    return invalid(`symbol ${JSON.stringify(symbol)} is empty`);
  return sanitized;
}

/** The raw topic an event (or draft) belongs on. */
export function rawTopicFor(event: RawEvent | RawEventDraft): string {
  switch (event.feed) {
    case Feed.geotech:
      return topicName({ kind: 'raw', feed: Feed.geotech, instrumentType: event.instrumentType });
    case Feed.market:
      return topicName({ kind: 'raw', feed: Feed.market });
    case Feed.sensors:
      return topicName({ kind: 'raw', feed: Feed.sensors });
  }
}

/** The processed topic the cleaned form of a raw event belongs on: per instrument type or per symbol. */
export function processedTopicFor(event: RawEvent | RawEventDraft, version?: number): string {
  switch (event.feed) {
    case Feed.geotech:
      return topicName({
        kind: 'processed',
        feed: Feed.geotech,
        instrumentType: event.instrumentType,
        version,
      });
    case Feed.market:
      return topicName({ kind: 'processed', feed: Feed.market, symbol: event.symbol, version });
    case Feed.sensors:
      return topicName({ kind: 'processed', feed: Feed.sensors, version });
  }
}

/** The Kafka message key of an event, so per-instrument, per-symbol and per-node order holds. */
export function partitionKeyFor(event: RawEvent | RawEventDraft): string {
  switch (event.feed) {
    case Feed.geotech:
      return event.instrumentId;
    case Feed.market:
      return event.symbol;
    case Feed.sensors:
      return event.nodeId;
  }
}

/** Every raw topic, for creating them up front and subscribing to them. */
export function rawTopics(): string[] {
  return [
    ...valuesOf(InstrumentType).map((instrumentType) =>
      topicName({ kind: 'raw', feed: Feed.geotech, instrumentType }),
    ),
    topicName({ kind: 'raw', feed: Feed.market }),
    topicName({ kind: 'raw', feed: Feed.sensors }),
  ];
}

/**
 * A pattern matching exactly the processed topics of one output version (default 1), optionally of
 * one feed: market topics are created on demand per symbol, so consumers subscribe by pattern.
 */
export function processedTopicPattern(options: { feed?: Feed; version?: number } = {}): RegExp {
  const suffix = escape(versionSuffix(options.version));
  const byFeed: Record<Feed, string> = {
    geotech: `geotech\\.(?:${instrumentTypes.join('|')})`,
    // Sanitized symbols are upper case, so a lower-case `.v<n>` suffix can never be part of one.
    market: 'market\\.[A-Z0-9._-]+?',
    sensors: `sensors\\.${SENSORS_TEMPERATURE}`,
  };
  const alternatives = options.feed === undefined ? Object.values(byFeed) : [byFeed[options.feed]];
  return new RegExp(`^processed\\.(?:${alternatives.join('|')})${suffix}$`);
}

/** The spec a topic name was made from, or undefined when no spec makes it. Inverse of topicName. */
export function parseTopicName(name: string): TopicSpec | undefined {
  const [kind, ...rest] = name.split('.');
  const tail = rest.join('.');
  const versioned = /^(.*?)(?:\.v([0-9]+))?$/.exec(tail);
  const body = versioned?.[1] ?? tail;
  const version = versioned?.[2] === undefined ? undefined : Number(versioned[2]);
  const withVersion = (spec: VersionedSpec): TopicSpec =>
    version === undefined ? spec : { ...spec, version };
  let spec: TopicSpec | undefined;
  switch (kind) {
    case TopicKind.raw:
      if (tail === `market.${MARKET_TRADES}`) spec = { kind: 'raw', feed: 'market' };
      else if (tail === `sensors.${SENSORS_TEMPERATURE}`) spec = { kind: 'raw', feed: 'sensors' };
      else if (tail.startsWith('geotech.') && instrumentTypes.includes(tail.slice(8))) {
        spec = { kind: 'raw', feed: 'geotech', instrumentType: tail.slice(8) as InstrumentType };
      }
      break;
    case TopicKind.processed:
      if (body === `sensors.${SENSORS_TEMPERATURE}`)
        spec = withVersion({ kind: 'processed', feed: 'sensors' });
      else if (body.startsWith('geotech.') && instrumentTypes.includes(body.slice(8))) {
        const instrumentType = body.slice(8) as InstrumentType;
        spec = withVersion({ kind: 'processed', feed: 'geotech', instrumentType });
      } else if (body.startsWith('market.') && /^[A-Z0-9._-]+$/.test(body.slice(7))) {
        spec = withVersion({ kind: 'processed', feed: 'market', symbol: body.slice(7) });
      }
      break;
    case TopicKind.alerts:
      if (feeds.includes(body)) spec = withVersion({ kind: 'alerts', feed: body as Feed });
      break;
    case TopicKind.late:
      if (LEGAL_NAME.test(tail)) spec = { kind: 'late', job: tail };
      break;
    case TopicKind.changelog:
      if (LEGAL_NAME.test(tail)) spec = { kind: 'changelog', job: tail };
      break;
    case TopicKind.dlq:
      if (stages.includes(tail)) spec = { kind: 'dlq', stage: tail as DeadLetterStage };
      break;
  }
  // Only names topicName would produce, byte for byte (no `.v1`, no lower-case symbols).
  if (spec === undefined) return undefined;
  try {
    return topicName(spec) === name ? spec : undefined;
  } catch {
    return undefined;
  }
}

function versionSuffix(version: number | undefined): string {
  if (version === undefined || version === 1) return '';
  if (!Number.isInteger(version) || version < 1)
    return invalid(`version must be an integer >= 1, got ${version}`);
  return `.v${version}`;
}

function checkInstrumentType(instrumentType: string): string {
  if (!instrumentTypes.includes(instrumentType)) {
    return invalid(`unknown instrument type ${JSON.stringify(instrumentType)}`);
  }
  return instrumentType;
}

function checkLength(name: string): string {
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return invalid(`topic name is ${name.length} characters, Kafka allows ${MAX_TOPIC_NAME_LENGTH}`);
  }
  return name;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function invalid(message: string): never {
  throw new ContractError(ContractErrorCodes.topicName, message);
}
