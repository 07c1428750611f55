import { type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** One problem with one key; a ConfigError carries all of them. */
export interface ConfigProblem {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'CFG_ERR_INVALID';
  readonly canRetry = false;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  /**
   * Prefix of the environment keys that belong to this service (e.g. `TL_`). Keys with the prefix
   * that the schema does not declare are rejected, so a typo never silently falls back to a default.
   */
  prefix: string;
}

/**
 * Builds a frozen configuration from environment-style strings. Schema property names are the
 * environment keys without the prefix (`TL_KAFKA_BROKERS` → `KAFKA_BROKERS`). Values are converted
 * to the schema's types, defaults applied, and every problem reported in one ConfigError.
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): Readonly<Static<T>> {
  const problems: ConfigProblem[] = [];
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(options.prefix) || value === undefined) continue;
    const key = name.slice(options.prefix.length);
    if (!(key in schema.properties)) {
      problems.push({ key: name, message: 'unknown key' });
      continue;
    }
    raw[key] = value;
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, raw));
  for (const error of Value.Errors(schema, withDefaults)) {
    const key = error.path.replace(/^\//, '').split('/')[0] ?? '';
    problems.push({
      key: `${options.prefix}${key}`,
      message: `${error.message} (got ${JSON.stringify(raw[key])})`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(withDefaults as Static<T>);
}

/** Lists the keys of a schema with type, default and description, for --help and docs. */
export function describeConfig(schema: TObject, prefix: string): string {
  return Object.entries(schema.properties)
    .map(([key, prop]) => {
      const p = prop as { type?: string; default?: unknown; description?: string };
      const def = p.default === undefined ? 'required' : `default ${JSON.stringify(p.default)}`;
      return `${prefix}${key} (${p.type ?? 'value'}, ${def}): ${p.description ?? ''}`;
    })
    .join('\n');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
