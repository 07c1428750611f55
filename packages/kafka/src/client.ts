// kafkajs is CommonJS and Node cannot see all of its named exports: take them from the default export.
import kafkajs, { type Kafka, type LogEntry, type KafkaConfig } from 'kafkajs';
// kafkajs-snappy is pure JavaScript (snappyjs): cheap enough for high-rate batches on small machines.
import SnappyCodec from 'kafkajs-snappy';

const { Kafka: KafkaClient, logLevel, CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

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
    logCreator: () => (entry: LogEntry) => forward(options.log, entry),
  };
  return new KafkaClient(config);
}

function forward(sink: KafkaLogSink | undefined, entry: LogEntry): void {
  if (!sink) return;
  const { message, ...rest } = entry.log;
  const fields = { kafka: { namespace: entry.namespace, ...rest } };
  switch (entry.level) {
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
