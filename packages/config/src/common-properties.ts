import { Type } from '@sinclair/typebox';

// Keys every Tideline service reads the same way, so they mean one thing across the six services (and
// their compose and k8s environments): spread them into a service's schema beside its own keys.

/** HOST, PORT and LOG_LEVEL of a service's HTTP server (health, readiness, metrics and its API). */
export function serverProperties(port: number, serves = 'health, metrics') {
  return {
    HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Address the HTTP server binds' }),
    PORT: Type.Integer({ default: port, minimum: 0, maximum: 65535, description: `HTTP port (${serves})` }),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info', description: 'pino log level' },
    ),
  };
}

/** KAFKA_BROKERS and TOPIC_NAMESPACE of a service that reads or writes Tideline's topics. */
export function kafkaProperties() {
  return {
    KAFKA_BROKERS: Type.String({
      default: '127.0.0.1:9092',
      description: 'Comma-separated Kafka bootstrap servers',
    }),
    TOPIC_NAMESPACE: Type.String({
      default: '',
      pattern: '^([a-zA-Z0-9_-]{1,64})?$',
      description: 'Prefix of every topic and consumer group (topicNamer); empty for the plain names',
    }),
  };
}
