export { buildSourceApi } from './app.ts';
export type { SourceApiDependencies } from './app.ts';
export { SourceApiConfigSchema, CONFIG_PREFIX } from './config.ts';
export type { SourceApiConfig } from './config.ts';
export { SourceApiErrorCodes } from './errors.ts';
export type { SourceApiErrorCode } from './errors.ts';
export { FaultSettingsSchema, FaultUpdateSchema, NO_FAULTS } from './faults/fault-settings.ts';
export type { FaultSettings, FaultUpdate } from './faults/fault-settings.ts';
export type { Clock } from './simulation.ts';
