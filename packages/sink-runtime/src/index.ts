export { SinkRunner } from './sink-runner.ts';
export { buildSinkApp } from './sink-app.ts';
export type { SinkAppOptions } from './sink-app.ts';
export type { SinkRunnerOptions, SinkStats } from './sink-runner.ts';
export { sinkConfigProperties, sinkRunnerSettings } from './sink-config.ts';
export type { SinkIdentity, SinkSharedConfig } from './sink-config.ts';
export type { SinkStore, StoreRejection, WriteContext, WriteOutcome } from './store.ts';
export { SinkRecordKind, decodeRecord, isUndecodable } from './records.ts';
export type { SinkRecord, RecordMeta, Undecodable } from './records.ts';
export { SinkReason, StoreUnavailableError } from './errors.ts';
export { createSinkMetrics } from './metrics.ts';
export type { SinkMetrics } from './metrics.ts';
export { selectTopics } from './topic-selection.ts';
export { DeadLetterWriter } from './dead-letters.ts';
export type { DeadLetterInput } from './dead-letters.ts';

// Contract-valid processor output for the sinks' tests and benchmark (one place; see the module).
export { generateProcessedOutput, fixtureWindowId } from './fixtures/processed-output.ts';
export { generateHealthRecords, generateBenchBacklog, poisonReading } from './fixtures/other-records.ts';
export type { FixtureMessage, ProcessedOutputOptions } from './fixtures/processed-output.ts';
export { produceFixture } from './fixtures/produce.ts';
export { startTcpProxy } from './fixtures/tcp-proxy.ts';
export type { TcpProxy } from './fixtures/tcp-proxy.ts';
