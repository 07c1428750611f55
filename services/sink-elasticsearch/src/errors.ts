/** sink-elasticsearch's codes (README documents each). */
export const EsSinkCode = {
  /** Elasticsearch refused the document (4xx bulk item: mapping conflict, bad value); reason is its error. */
  rejected: 'SINK_ES_ERR_REJECTED',
  /** Elasticsearch is unreachable, or refused the request or its items with 429/5xx beyond the item retries. */
  unavailable: 'SINK_ES_ERR_UNAVAILABLE',
  /** Templates could not be installed (the store is unavailable until they are). */
  templates: 'SINK_ES_ERR_TEMPLATES',
} as const;
