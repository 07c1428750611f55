// Value sets
export {
  SCHEMA_VERSION,
  Feed,
  InstrumentType,
  TradeSide,
  AlertLevel,
  WindowFiring,
  DeadLetterStage,
  valuesOf,
} from './values.ts';

// Events on topics
export { SYMBOL_PATTERN } from './events/common.ts';
export { GeotechReadingSchema } from './events/geotech-reading.ts';
export type { GeotechReading } from './events/geotech-reading.ts';
export { MarketTradeSchema } from './events/market-trade.ts';
export type { MarketTrade } from './events/market-trade.ts';
export { TemperatureReadingSchema } from './events/temperature-reading.ts';
export type { TemperatureReading } from './events/temperature-reading.ts';
export { RawEventSchema } from './events/raw-event.ts';
export type { RawEvent, RawEventDraft, DraftOf } from './events/raw-event.ts';
export { CleanReadingSchema } from './events/clean-reading.ts';
export type { CleanReading } from './events/clean-reading.ts';
export { WindowAggregateSchema } from './events/window-aggregate.ts';
export type { WindowAggregate } from './events/window-aggregate.ts';
export { AlertSchema } from './events/alert.ts';
export type { Alert } from './events/alert.ts';
export { LateRecordSchema } from './events/late-record.ts';
export type { LateRecord } from './events/late-record.ts';
export { DeadLetterSchema } from './events/dead-letter.ts';
export type { DeadLetter } from './events/dead-letter.ts';

// Validation and ids
export { EventSchemas, validateEvent, validateRawEvent } from './validate.ts';
export type { EventKind, EventOf, ValidationIssue, ValidationResult } from './validate.ts';
export { eventIdFor, withEventId, windowAggregateIdFor, alertIdFor } from './event-id.ts';

// Topics
export {
  TopicKind,
  MAX_TOPIC_NAME_LENGTH,
  topicName,
  sanitizeSymbol,
  rawTopicFor,
  processedTopicFor,
  partitionKeyFor,
  rawTopics,
  processedTopicPattern,
  parseTopicName,
  topicNamer,
  NAMESPACE_PATTERN,
} from './topics.ts';
export type { TopicSpec, TopicNamer } from './topics.ts';
export { jobVersionOf } from './job-version.ts';
export { ContractError, ContractErrorCodes } from './errors.ts';
export type { ContractErrorCode } from './errors.ts';

// The source API (what ingest polls)
export {
  LegacyGeotechRoutes,
  LEGACY_TIMESTAMP_PATTERN,
  LegacyGeotechItemSchema,
  LegacyGeotechEnvelopeSchema,
} from './source-api/legacy-geotech.ts';
export type { LegacyGeotechItem, LegacyGeotechEnvelope } from './source-api/legacy-geotech.ts';
export {
  GeotechReadingDraftSchema,
  SourceTradeSchema,
  SourceTemperatureSchema,
  pageSchemaOf,
  GeotechReadingPageSchema,
  SourceTradePageSchema,
  SourceTemperaturePageSchema,
} from './source-api/feed-items.ts';
export type {
  GeotechReadingDraft,
  SourceTrade,
  SourceTemperature,
  GeotechReadingPage,
  SourceTradePage,
  SourceTemperaturePage,
} from './source-api/feed-items.ts';
export { LevelDirection, InstrumentSchema, InstrumentCatalogueSchema } from './source-api/instrument.ts';
export type { Instrument, InstrumentCatalogue } from './source-api/instrument.ts';

// What processed topics carry, and the processor's queryable state in Redis
export { ProcessedKind, RecordHeaders } from './records.ts';
export { LatestField, stateKeys } from './queryable-state.ts';
export type { JobVersionState, StateKeys } from './queryable-state.ts';
