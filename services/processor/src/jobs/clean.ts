import {
  SCHEMA_VERSION,
  validateRawEvent,
  type CleanReading,
  type Feed,
  type RawEvent,
} from '@tideline/contracts';
import { DeadLetterReason } from '../errors.ts';
import type { Level } from './job-schema.ts';

/** A raw record that passed cleaning: its contract form and the cleaned reading derived from it. */
export interface Cleaned {
  readonly ok: true;
  readonly event: RawEvent;
  readonly reading: CleanReading;
}

export interface Rejected {
  readonly ok: false;
  readonly reasonCode: DeadLetterReason;
  readonly reason: string;
}

export interface CleaningRules {
  readonly feed: Feed;
  /** Plausible values per measure (instrument type, `price`, `temperature`). */
  readonly ranges: Readonly<Record<string, { readonly min?: number; readonly max?: number }>>;
  /** Alert and alarm levels of an instrument, when known: copied into the reading's attributes. */
  readonly levelsOf: (instrumentId: string) => Level | undefined;
}

// The fields a raw record of each feed must carry with a non-empty value.
const REQUIRED: Record<Feed, readonly string[]> = {
  geotech: ['eventId', 'instrumentId', 'instrumentType', 'value', 'unit', 'eventTimeMs', 'source'],
  market: ['eventId', 'symbol', 'side', 'price', 'quantity', 'eventTimeMs', 'source'],
  sensors: ['eventId', 'nodeId', 'temperatureC', 'eventTimeMs', 'source'],
};

/**
 * Cleans one raw record, as text: JSON, the contract's schema version and shape, the job's feed,
 * no null or empty field, a plausible value. Anything else is rejected with a stable reason code
 * (the processor dead-letters it) instead of being thrown: a raw topic can be written by any producer.
 */
export function cleanRecord(text: string, rules: CleaningRules): Cleaned | Rejected {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return reject(DeadLetterReason.malformedJson, `not JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return reject(DeadLetterReason.schemaViolation, 'a raw record must be a JSON object');
  }
  const record = data as Record<string, unknown>;
  const version = record['schemaVersion'];
  if (version !== SCHEMA_VERSION) {
    return reject(
      DeadLetterReason.unknownSchemaVersion,
      `schemaVersion ${JSON.stringify(version ?? null)} is not the known version ${SCHEMA_VERSION}`,
    );
  }
  if (record['feed'] !== rules.feed) {
    return reject(
      DeadLetterReason.wrongFeed,
      `feed ${JSON.stringify(record['feed'] ?? null)} on a ${rules.feed} topic`,
    );
  }
  for (const field of REQUIRED[rules.feed]) {
    const value = record[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return reject(DeadLetterReason.emptyField, `${field} is ${value === '' ? 'empty' : 'missing or null'}`);
    }
  }
  const checked = validateRawEvent(record);
  if (!checked.ok) {
    const first = checked.errors[0];
    return reject(DeadLetterReason.schemaViolation, first ? `${first.path}: ${first.message}` : 'invalid');
  }
  const reading = toReading(checked.value, rules);
  const range = rules.ranges[reading.measure];
  if (range !== undefined) {
    if (
      (range.min !== undefined && reading.value < range.min) ||
      (range.max !== undefined && reading.value > range.max)
    ) {
      return reject(
        DeadLetterReason.outOfRange,
        `${reading.measure} ${reading.value} outside [${range.min ?? '-inf'}, ${range.max ?? 'inf'}]`,
      );
    }
  }
  return { ok: true, event: checked.value, reading };
}

function toReading(event: RawEvent, rules: CleaningRules): CleanReading {
  const common = {
    schemaVersion: SCHEMA_VERSION,
    eventId: event.eventId,
    feed: event.feed,
    eventTimeMs: event.eventTimeMs,
    source: event.source,
  } as const;
  switch (event.feed) {
    case 'geotech': {
      const levels = rules.levelsOf(event.instrumentId);
      const attributes: Record<string, string | number> = {};
      if (event.northing !== undefined) attributes['northing'] = event.northing;
      if (event.easting !== undefined) attributes['easting'] = event.easting;
      if (event.surfaceLevelM !== undefined) attributes['surfaceLevelM'] = event.surfaceLevelM;
      if (levels !== undefined) {
        attributes['alertLevel'] = levels.alertLevel;
        attributes['alarmLevel'] = levels.alarmLevel;
        attributes['levelDirection'] = levels.levelDirection;
      }
      return {
        ...common,
        key: event.instrumentId,
        measure: event.instrumentType,
        value: event.value,
        unit: event.unit,
        attributes,
      };
    }
    case 'market':
      return {
        ...common,
        key: event.symbol,
        measure: 'price',
        value: event.price,
        unit: 'price',
        attributes: { side: event.side, quantity: event.quantity },
      };
    case 'sensors':
      return { ...common, key: event.nodeId, measure: 'temperature', value: event.temperatureC, unit: '°C' };
  }
}

function reject(reasonCode: DeadLetterReason, reason: string): Rejected {
  return { ok: false, reasonCode, reason };
}
