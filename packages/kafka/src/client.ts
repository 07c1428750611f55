import { createRequire } from 'node:module';
// kafkajs is CommonJS and Node cannot see all of its named exports: take them from the default export.
import kafkajs, { type Kafka, type LogEntry, type KafkaConfig } from 'kafkajs';
// kafkajs-snappy is pure JavaScript (snappyjs): cheap enough for high-rate batches on small machines.
import SnappyCodec from 'kafkajs-snappy';

const { Kafka: KafkaClient, logLevel, CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

/**
 * The messages of the broker's retriable errors (kafkajs's protocol error table; kafkajs is pinned).
 * kafkajs logs every error response at ERROR before its retry logic handles it, so a topic read right
 * after its creation, a leader moving or a transaction still ending would look like failures; if the
 * retries run out, the caller gets the error and reports it.
 */
const retriableMessages: ReadonlySet<string> = new Set(
  (
    createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
      errorCodes: { retriable: boolean; message: string }[];
    }
  ).errorCodes
    .filter((e) => e.retriable)
    .map((e) => e.message),
);

/** The few logger methods kafkajs messages are forwarded to; a pino logger fits. */
export interface KafkaLogSink {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CreateKafkaOptions {
  clientId: string;
  brokers: readonly string[];
  /** Receives kafkajs's own log lines; without it they are dropped. */
  log?: KafkaLogSink;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** A kafkajs client with retry settings suited to a broker that may restart under us. */
export function createKafka(options: CreateKafkaOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
    logLevel: options.log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => forwardKafkaLog(options.log, entry),
  };
  return new KafkaClient(config);
}

/**
 * The producer's "Failed to send messages: ..." entry: kafkajs logs it at ERROR only for errors its send
 * retries (retriable protocol errors, stale metadata, lost connections), right before retrying; if the
 * retries run out the caller gets the error.
 */
const PRODUCER_RETRY_PREFIX = 'Failed to send messages: ';

/** Hands a kafkajs log entry to `sink` at its level (an error kafkajs is about to retry at info). */
export function forwardKafkaLog(sink: KafkaLogSink | undefined, entry: LogEntry): void {
  if (!sink) return;
  const { message, ...rest } = entry.log;
  const fields = { kafka: { namespace: entry.namespace, ...rest } };
  const retried =
    (entry.namespace === 'Connection' && retriableMessages.has(String(rest.error))) ||
    (entry.namespace === 'Producer' && message.startsWith(PRODUCER_RETRY_PREFIX) && 'retryCount' in rest);
  switch (retried ? logLevel.INFO : entry.level) {
    case logLevel.ERROR:
      sink.error(fields, message);
      break;
    case logLevel.WARN:
      sink.warn(fields, message);
      break;
    case logLevel.INFO:
      sink.info(fields, message);
      break;
    default:
      sink.debug(fields, message);
  }
}
