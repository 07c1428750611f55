export { loadConfig, describeConfig, ConfigError } from './load-config.ts';
export type { ConfigProblem, LoadConfigOptions } from './load-config.ts';
export { kafkaProperties, serverProperties } from './common-properties.ts';
