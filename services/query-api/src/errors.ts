import { ServiceError } from '@tideline/service-kit';

/** The query API's own error codes (services/query-api/README.md documents each). Stable. */
export const QueryErrorCode = {
  unauthenticated: 'QUERY_ERR_UNAUTHENTICATED',
  forbidden: 'QUERY_ERR_FORBIDDEN',
  rateLimited: 'QUERY_ERR_RATE_LIMITED',
  overloaded: 'QUERY_ERR_OVERLOADED',
  invalidCursor: 'QUERY_ERR_INVALID_CURSOR',
  invalidRange: 'QUERY_ERR_INVALID_RANGE',
  invalidTime: 'QUERY_ERR_INVALID_TIME',
  notAcceptable: 'QUERY_ERR_NOT_ACCEPTABLE',
  unknownVersion: 'QUERY_ERR_UNKNOWN_VERSION',
  notCaughtUp: 'QUERY_ERR_NOT_CAUGHT_UP',
  cutOverConflict: 'QUERY_ERR_CUT_OVER_CONFLICT',
  timeout: 'QUERY_ERR_TIMEOUT',
  tooManyStreams: 'QUERY_ERR_TOO_MANY_STREAMS',
} as const;
export type QueryErrorCode = (typeof QueryErrorCode)[keyof typeof QueryErrorCode];

export function badRequest(code: QueryErrorCode, message: string, details?: unknown): ServiceError {
  return new ServiceError(code, message, { statusCode: 400, details });
}
