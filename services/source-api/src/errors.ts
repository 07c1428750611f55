/**
 * Error codes of the source-api (documented in README.md). The shared TL_ERR_* codes come from
 * service-kit: TL_ERR_VALIDATION (400), TL_ERR_NOT_FOUND (404), TL_ERR_INTERNAL (500).
 */
export const SourceApiErrorCodes = {
  invalidCursor: 'SOURCE_API_ERR_INVALID_CURSOR',
  unknownSymbol: 'SOURCE_API_ERR_UNKNOWN_SYMBOL',
  injectedFailure: 'SOURCE_API_ERR_INJECTED_FAILURE',
  outage: 'SOURCE_API_ERR_OUTAGE',
} as const;
export type SourceApiErrorCode = (typeof SourceApiErrorCodes)[keyof typeof SourceApiErrorCodes];
