import { Type, type Static } from '@sinclair/typebox';
import { serverProperties } from '@tideline/config';

/** The query API's configuration: environment keys are these names with the QUERY_API_ prefix. */
export const QueryApiConfigSchema = Type.Object(
  {
    ...serverProperties(8084, 'API, live view, health, metrics'),
    PG_URL: Type.String({
      default: 'postgres://tideline@127.0.0.1:5432/tideline',
      description: 'PostgreSQL connection string (the history sink-postgres writes)',
    }),
    PG_SCHEMA: Type.String({
      default: 'public',
      pattern: '^[a-z_][a-z0-9_]{0,62}$',
      description: 'Schema of the history tables (search_path); tests use their own',
    }),
    PG_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 200, description: 'PostgreSQL pool size' }),
    PG_STATEMENT_TIMEOUT_MS: Type.Integer({
      default: 10_000,
      minimum: 100,
      description: 'Time limit of one SQL statement (a runaway query answers 503, not forever)',
    }),
    PG_MAX_QUEUED: Type.Integer({
      default: 500,
      minimum: 0,
      description: 'Requests waiting for a pool connection above which the API sheds load (503)',
    }),
    REDIS_URL: Type.String({
      default: 'redis://127.0.0.1:6379',
      description: "Redis holding the processor's queryable state",
    }),
    STATE_NAMESPACE: Type.String({
      default: '',
      pattern: '^[a-zA-Z0-9_-]{0,64}$',
      description: "Namespace of the processor's Redis keys (stateKeys); empty for the plain names",
    }),
    LATEST_CACHE_MAX_ENTRIES: Type.Integer({
      default: 10_000,
      minimum: 0,
      maximum: 1_000_000,
      description:
        'Latest-value answers kept in process while Redis tracks their keys (client-side caching, invalidated by Redis); 0: off, every request reads Redis',
    }),
    SERVING_CACHE_MS: Type.Integer({
      default: 1000,
      minimum: 0,
      description: 'How long a job\u2019s serving version is cached (a cut-over elsewhere shows within this)',
    }),
    API_KEYS: Type.String({
      default: '',
      pattern: '^([A-Za-z0-9_-]{16,128}:[a-z]+(\\+[a-z]+)*(,[A-Za-z0-9_-]{16,128}:[a-z]+(\\+[a-z]+)*)*)?$',
      description: 'API keys and their scopes: `key:read+admin,key2:read` (keys 16-128 of [A-Za-z0-9_-])',
    }),
    ANONYMOUS_SCOPES: Type.String({
      default: '',
      pattern: '^([a-z]+(\\+[a-z]+)*)?$',
      description:
        'Scopes of a request without a key (e.g. `read` for a local demo); empty: a key is required',
    }),
    CORS_ORIGINS: Type.String({
      default: '',
      description: 'Comma-separated origins allowed by CORS; empty: no cross-origin access',
    }),
    RATE_LIMIT_MAX: Type.Integer({
      default: 600,
      minimum: 1,
      description: 'Requests per key (per address without a key) in each rate-limit window',
    }),
    RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 100, description: 'Rate-limit window' }),
    BODY_LIMIT_BYTES: Type.Integer({ default: 16_384, minimum: 256, description: 'Largest request body' }),
    REQUEST_TIMEOUT_MS: Type.Integer({
      default: 30_000,
      minimum: 0,
      description: 'Time limit to receive a whole request (0: none); streams are not cut by it',
    }),
    MAX_RANGE_MS: Type.Integer({
      default: 31 * 24 * 3600 * 1000,
      minimum: 1000,
      description: 'Longest time range one history or alerts query may cover',
    }),
    MAX_PAGE_LIMIT: Type.Integer({
      default: 10_000,
      minimum: 1,
      maximum: 100_000,
      description: 'Largest page (rows) a JSON history query may ask for',
    }),
    HISTORY_CACHE_MS: Type.Integer({
      default: 1000,
      minimum: 0,
      description: 'Identical JSON history queries within this share one result (0: off)',
    }),
    HISTORY_CACHE_STALE_MS: Type.Integer({
      default: 1000,
      minimum: 0,
      description:
        'How long past HISTORY_CACHE_MS a cached history result may still be served while one query refreshes it in the background',
    }),
    MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
      default: 1000,
      minimum: 0,
      description: 'Event-loop delay above which the API sheds load with 503 and Retry-After (0: off)',
    }),
    RETRY_AFTER_S: Type.Integer({ default: 5, minimum: 1, description: 'Retry-After of a shed request' }),
    LIVE_HEARTBEAT_MS: Type.Integer({
      default: 15_000,
      minimum: 100,
      description: 'Interval of keep-alive comments on a live event stream',
    }),
    MAX_LIVE_CLIENTS: Type.Integer({
      default: 1000,
      minimum: 1,
      description: 'Live event streams open at once',
    }),
  },
  { additionalProperties: false },
);
export type QueryApiConfig = Static<typeof QueryApiConfigSchema>;
