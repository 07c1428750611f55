import { IngestReason, SourceError } from '../errors.ts';
import { tryParseJson } from '../formats/normalized.ts';

export interface SourceResponse {
  body: unknown;
  text: string;
}

/**
 * GETs a JSON document from the source with a time limit. Network failures, timeouts, non-2xx answers
 * and unparseable bodies all become SourceErrors, which pollers retry with backoff.
 */
export async function getJson(url: string, timeoutMs: number, signal: AbortSignal): Promise<SourceResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new SourceError(
      timedOut ? 'INGEST_ERR_SOURCE_TIMEOUT' : 'INGEST_ERR_SOURCE_UNREACHABLE',
      timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new SourceError('INGEST_ERR_SOURCE_HTTP', `source answered ${response.status}`);
  }
  const parsed = tryParseJson(text);
  if (!parsed.ok) {
    throw new SourceError(IngestReason.sourceBadResponse, `body is not JSON: ${parsed.error}`, {
      body: text,
    });
  }
  return { body: parsed.value, text };
}
