export { createKafka } from './client.ts';
export type { CreateKafkaOptions, KafkaLogSink } from './client.ts';
export { ensureTopics } from './topics.ts';
export type { TopicSpec } from './topics.ts';
export { createReliableProducer, Compression } from './producer.ts';
export type { CompressionName, ReliableProducerOptions } from './producer.ts';
export { endOffsets, fetchEndOffsets, collectMessages } from './reading.ts';
export type { CollectOptions, CollectedMessage } from './reading.ts';
