export { ServiceError, CommonErrorCodes, FastifyErrorCodes, registerErrorHandling } from './errors.ts';
export { registerRequestLogging } from './request-logging.ts';
export type { ErrorBody } from './errors.ts';
export { registerHealth } from './health.ts';
export type { HealthOptions, ReadinessCheck } from './health.ts';
export { createRegistry, registerMetrics, Registry, Counter, Histogram, Gauge } from './metrics.ts';
export { closeOnSignals } from './shutdown.ts';
export type { ShutdownOptions } from './shutdown.ts';
