import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { AlertSchema } from './events/alert.ts';
import { CleanReadingSchema } from './events/clean-reading.ts';
import { DeadLetterSchema } from './events/dead-letter.ts';
import { GeotechReadingSchema } from './events/geotech-reading.ts';
import { LateRecordSchema } from './events/late-record.ts';
import { MarketTradeSchema } from './events/market-trade.ts';
import type { RawEvent } from './events/raw-event.ts';
import { TemperatureReadingSchema } from './events/temperature-reading.ts';
import { WindowAggregateSchema } from './events/window-aggregate.ts';
import { Feed } from './values.ts';

/** Every event schema by kind: the JSON Schemas to publish, and what validateEvent checks against. */
export const EventSchemas = {
  geotechReading: GeotechReadingSchema,
  marketTrade: MarketTradeSchema,
  temperatureReading: TemperatureReadingSchema,
  cleanReading: CleanReadingSchema,
  windowAggregate: WindowAggregateSchema,
  alert: AlertSchema,
  lateRecord: LateRecordSchema,
  deadLetter: DeadLetterSchema,
} as const;

export type EventKind = keyof typeof EventSchemas;
export type EventOf<K extends EventKind> = Static<(typeof EventSchemas)[K]>;

/** One problem: a JSON Pointer to the field (`/price`, `''` for the whole value) and what is wrong. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

/** Enough to say what is wrong with a record without letting one garbage payload cost megabytes. */
const MAX_ISSUES = 20;

type Checkers = { [K in EventKind]: TypeCheck<(typeof EventSchemas)[K]> };

// Compiled once at load: a check is then a plain function call (the ingest path runs it per event).
const checkers = Object.fromEntries(
  Object.entries(EventSchemas).map(([kind, schema]) => [kind, TypeCompiler.Compile(schema as TSchema)]),
) as unknown as Checkers;

/** Checks a value against the schema of one kind of event; `ok` narrows `value` to its type. */
export function validateEvent<K extends EventKind>(kind: K, value: unknown): ValidationResult<EventOf<K>> {
  const checker = checkers[kind] as TypeCheck<TSchema>;
  if (checker === undefined) throw new TypeError(`unknown event kind: ${String(kind)}`);
  if (checker.Check(value)) return { ok: true, value: value as EventOf<K> };
  return { ok: false, errors: issuesOf(checker, value) };
}

const kindByFeed = {
  [Feed.geotech]: 'geotechReading',
  [Feed.market]: 'marketTrade',
  [Feed.sensors]: 'temperatureReading',
} as const satisfies Record<Feed, EventKind>;

/**
 * Checks any raw event, picking the schema from its `feed`, so the errors name the wrong fields
 * rather than "matches none of the union".
 */
export function validateRawEvent(value: unknown): ValidationResult<RawEvent> {
  const feed = typeof value === 'object' && value !== null ? (value as { feed?: unknown }).feed : undefined;
  if (typeof feed !== 'string' || !Object.hasOwn(kindByFeed, feed)) {
    return {
      ok: false,
      errors: [{ path: '/feed', message: `expected one of ${Object.values(Feed).join(', ')}` }],
    };
  }
  return validateEvent(kindByFeed[feed as Feed], value);
}

function issuesOf(checker: TypeCheck<TSchema>, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of checker.Errors(value)) {
    issues.push({ path: error.path, message: error.message });
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}
