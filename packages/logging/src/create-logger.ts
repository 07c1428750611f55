import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Extra paths to redact on top of the defaults (passwords, tokens, authorization headers). */
  redact?: string[];
  /** Where to write; defaults to stdout. Tests pass a stream to read the lines back. */
  destination?: NodeJS.WritableStream;
}

const DEFAULT_REDACT = [
  'password',
  '*.password',
  'config.*PASSWORD*',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.secret',
];

/** The one root logger of a service; components take `logger.child({ component })`. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid },
    redact: { paths: [...DEFAULT_REDACT, ...(options.redact ?? [])], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
